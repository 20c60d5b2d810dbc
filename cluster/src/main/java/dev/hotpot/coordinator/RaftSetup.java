package dev.hotpot.coordinator;

import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * How the coordinator configures Ratis: the group every peer and client derives from the peer list,
 * and the properties of servers and clients.
 *
 * <p>Reads: {@code LINEARIZABLE} with the leader lease, so a read sent to any replica sees every write
 * acknowledged before it (the leader answers from its lease, a follower after catching up to the
 * leader's commit index); a read that asks for non-linearizable service (heartbeats) is answered by
 * the leader only.
 *
 * <p>Threading: stateless.
 */
final class RaftSetup {
    private static final String GROUP_NAMESPACE = "hotpot-coordinator;";
    private static final long ENTRY_BYTES = 256;
    private static final long MIN_SEGMENT_BYTES = 8 << 10;
    private static final long MAX_SEGMENT_BYTES = 8 << 20;

    private RaftSetup() {
    }

    /**
     * The group of {@code peers}. Its id is derived from the peer list sorted by id, so every node
     * given the same peers (in any order) forms the same group, and another list another group.
     */
    static RaftGroup group(List<Peer> peers) {
        List<Peer> sorted = peers.stream().sorted(Comparator.comparing(Peer::id)).toList();
        String key = GROUP_NAMESPACE + sorted.stream().map(Peer::toString).collect(Collectors.joining(";"));
        RaftGroupId id = RaftGroupId.valueOf(UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)));
        return RaftGroup.valueOf(id, sorted.stream().map(RaftSetup::raftPeer).toList());
    }

    private static RaftPeer raftPeer(Peer peer) {
        return RaftPeer.newBuilder().setId(peer.id()).setAddress(peer.coordinatorAddress()).build();
    }

    static RaftProperties serverProperties(Peer self, Path storageDir, CoordinatorSettings settings) {
        RaftProperties properties = new RaftProperties();
        RaftServerConfigKeys.setStorageDir(properties, List.of(storageDir.toFile()));
        // Bound to the peer's own address, not every interface: without TLS, the fewer listeners the better.
        GrpcConfigKeys.Server.setHost(properties, self.host());
        GrpcConfigKeys.Server.setPort(properties, self.coordinatorPort());
        RaftServerConfigKeys.Rpc.setTimeoutMin(properties, duration(settings.rpcTimeoutMin()));
        RaftServerConfigKeys.Rpc.setTimeoutMax(properties, duration(settings.rpcTimeoutMax()));
        RaftServerConfigKeys.Read.setOption(properties, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
        RaftServerConfigKeys.Read.setLeaderLeaseEnabled(properties, true);
        RaftServerConfigKeys.Read.setTimeout(properties, duration(settings.requestTimeout()));
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(properties, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(properties, settings.snapshotInterval());
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(properties, 2);
        // Purge up to each snapshot even if a follower lags (it then gets the snapshot). A segment is
        // purged only once closed, so one holds about a snapshot interval of entries (a few hundred
        // bytes each): the log on disk stays within a few intervals.
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(properties, true);
        RaftServerConfigKeys.Log.setPurgeGap(properties, (int) Math.min(settings.snapshotInterval(), Integer.MAX_VALUE));
        long segmentBytes = Math.clamp(Math.min(settings.snapshotInterval(), MAX_SEGMENT_BYTES) * ENTRY_BYTES,
                MIN_SEGMENT_BYTES, MAX_SEGMENT_BYTES);
        RaftServerConfigKeys.Log.setSegmentSizeMax(properties, SizeInBytes.valueOf(segmentBytes));
        return properties;
    }

    /** Properties of a client whose every attempt of a request gives up after {@code attemptTimeout}. */
    static RaftProperties clientProperties(Duration attemptTimeout) {
        RaftProperties properties = new RaftProperties();
        RaftClientConfigKeys.Rpc.setRequestTimeout(properties, duration(attemptTimeout));
        return properties;
    }

    /**
     * The parameters of every server and client of the group: mutual TLS for the server, for the
     * clients of the other replicas and for the admin calls, when {@code settings} give
     * certificates; none otherwise.
     */
    static Parameters parameters(CoordinatorSettings settings) {
        Parameters parameters = new Parameters();
        CoordinatorTls tls = settings.tls();
        if (tls != null) {
            GrpcTlsConfig config = new GrpcTlsConfig(tls.key().toFile(), tls.certificate().toFile(),
                    tls.trusted().toFile(), true);
            GrpcConfigKeys.Server.setTlsConf(parameters, config);
            GrpcConfigKeys.Client.setTlsConf(parameters, config);
            GrpcConfigKeys.Admin.setTlsConf(parameters, config);
        }
        return parameters;
    }

    static TimeDuration duration(Duration duration) {
        return TimeDuration.valueOf(duration.toMillis(), TimeUnit.MILLISECONDS);
    }
}
