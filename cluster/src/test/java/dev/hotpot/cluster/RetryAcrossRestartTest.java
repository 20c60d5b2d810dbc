package dev.hotpot.cluster;

import dev.hotpot.heap.Heap;
import dev.hotpot.heap.HeapConfig;
import dev.hotpot.testing.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A commit retried after its answer was lost applies once even when the primary checkpointed and
 * restarted in between: the transaction ids that left the log stay known. The primary answers the
 * retry with the first attempt's sequence; a new transaction with the same stale read version is
 * refused as a conflict, which shows the answer came from the ids and not from validation.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class RetryAcrossRestartTest {
    private static final long RETRIED = 0x7_0000_0001L;

    @TempDir
    Path root;

    @Test
    void aRetryAfterACheckpointAndARestartAppliesOnce() throws Exception {
        Path dir = root.resolve("d1");
        int port = FreePorts.pair();
        Properties settings = OneNodeCluster.settingsWithSecret(root, port);
        HeapConfig config = OneNodeCluster.bank(dir);

        long account;
        long readVersion;
        long firstSequence;
        try (ClusterNode node = ClusterNode.start(ClusterSettings.from(settings), dir)) {
            Heap heap = node.openHeap(config);
            account = OneNodeCluster.createAccount(heap, 42);
            readVersion = heap.transactionManager().clock();
            try (RawPeer peer = RawPeer.subscribe("n7", OneNodeCluster.SECRET, "n1", port, "bank")) {
                Messages.Committed first = peer.commit(peer.epoch(), RETRIED, readVersion, account, 43);
                assertEquals(Messages.CommitStatus.OK, first.status());
                firstSequence = first.sequence();
            }
            heap.checkpoint();
        }
        assertTrue(Files.exists(config.heapDirectory().resolve(RecentCommitsKeeper.FILE)), "the ids were saved");

        try (ClusterNode node = ClusterNode.start(ClusterSettings.from(settings), dir)) {
            Heap heap = node.openHeap(config);
            try (RawPeer peer = RawPeer.subscribe("n7", OneNodeCluster.SECRET, "n1", port, "bank")) {
                Messages.Committed retried = peer.commit(peer.epoch(), RETRIED, readVersion, account, 43);
                assertEquals(Messages.CommitStatus.OK, retried.status(), "the retry is answered, not re-run");
                assertEquals(firstSequence, retried.sequence(), "with the first attempt's sequence");

                Messages.Committed other = peer.commit(peer.epoch(), RETRIED + 1, readVersion, account, 44);
                assertEquals(Messages.CommitStatus.CONFLICT, other.status(), "a new transaction on the same reads conflicts");
            }
            assertEquals(43, heap.transaction(() -> heap.getLong(account)));
        }
    }
}
