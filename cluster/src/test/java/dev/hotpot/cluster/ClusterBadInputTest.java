package dev.hotpot.cluster;

import dev.hotpot.ConfigurationException;
import dev.hotpot.HotpotException;
import dev.hotpot.heap.Heap;
import dev.hotpot.transport.Connection;
import dev.hotpot.transport.HandshakeException;
import dev.hotpot.transport.TcpTransport;
import dev.hotpot.testing.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input to a cluster node is refused with an error that says what is wrong, and nothing
 * committed changes: a peer with the wrong secret or none, a commit of a stale epoch, a node
 * given another peers list, settings that cannot work, a data folder of another cluster or of a single-node heap.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ClusterBadInputTest {
    @TempDir
    Path root;

    @Test
    void peersWithAWrongSecretOrNoneAreRefusedAndChangeNothing() throws Exception {
        int port = FreePorts.pair();
        Properties settings = OneNodeCluster.settingsWithSecret(root, port);
        try (ClusterNode node = ClusterNode.start(ClusterSettings.from(settings), root.resolve("d1"))) {
            Heap heap = node.openHeap(OneNodeCluster.bank(root.resolve("d1")));
            long account = OneNodeCluster.createAccount(heap, 42);
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
            try (TcpTransport wrong = new TcpTransport("n9", "another secret of enough bytes".getBytes(StandardCharsets.UTF_8));
                 TcpTransport none = new TcpTransport("n8", null)) {
                assertThrows(HandshakeException.class, () -> wrong.connect("n1", address, (from, frame) -> { }));
                assertThrows(HandshakeException.class, () -> none.connect("n1", address, (from, frame) -> { }));
            }
            try (TcpTransport right = new TcpTransport("n7", OneNodeCluster.SECRET)) {
                Connection connection = right.connect("n1", address, (from, frame) -> { });
                assertTrue(connection.isOpen(), "a peer with the secret gets in");
                connection.close();
            }
            assertEquals(42, heap.getLong(account), "nothing committed changed");
        }
    }

    @Test
    void aCommitOfAStaleEpochIsRefusedAndChangesNothing() throws Exception {
        int port = FreePorts.pair();
        Properties settings = OneNodeCluster.settingsWithSecret(root, port);
        try (ClusterNode node = ClusterNode.start(ClusterSettings.from(settings), root.resolve("d1"))) {
            Heap heap = node.openHeap(OneNodeCluster.bank(root.resolve("d1")));
            long account = OneNodeCluster.createAccount(heap, 42);
            try (RawPeer peer = RawPeer.subscribe("n7", OneNodeCluster.SECRET, "n1", port, "bank")) {
                long epoch = peer.epoch();
                long readVersion = heap.transactionManager().clock();

                Messages.Committed refused = peer.commit(epoch - 1, 0x7_0000_0001L, readVersion, account, 7);
                assertEquals(Messages.CommitStatus.NOT_PRIMARY, refused.status());
                assertTrue(refused.message().contains("stale epoch " + (epoch - 1)), refused.message());
                assertEquals(42, heap.transaction(() -> heap.getLong(account)), "nothing committed changed");

                Messages.Committed taken = peer.commit(epoch, 0x7_0000_0002L, readVersion, account, 7);
                assertEquals(Messages.CommitStatus.OK, taken.status(), "the same commit in the current epoch is taken");
                assertEquals(7, heap.transaction(() -> heap.getLong(account)));
            }
        }
    }

    @Test
    void aNodeGivenAnotherPeersListIsRefusedAndChangesNothing() throws Exception {
        int first = FreePorts.pair();
        int second = FreePorts.pair();
        int third = FreePorts.pair();
        try (ClusterNode node = ClusterNode.start(ClusterSettings.from(OneNodeCluster.settings("n1", "n1@127.0.0.1:" + first)),
                root.resolve("d1"))) {
            Heap heap = node.openHeap(OneNodeCluster.bank(root.resolve("d1")));
            long account = OneNodeCluster.createAccount(heap, 42);
            Properties other = OneNodeCluster.settings("n2", "n1@127.0.0.1:" + first + ";n2@127.0.0.1:" + second + ";n3@127.0.0.1:" + third);
            HotpotException refused = assertThrows(HotpotException.class,
                    () -> ClusterNode.start(ClusterSettings.from(other), root.resolve("d2")).close());
            assertTrue(messages(refused).contains("every node must be given the same hotpot.peers"), messages(refused));
            assertTrue(messages(refused).contains("[n1@127.0.0.1:" + first + "]"), "names the peer: " + messages(refused));
            assertEquals(42, heap.transaction(() -> heap.getLong(account)), "nothing committed changed");
            heap.transaction(() -> heap.putLong(account, 43));
            assertEquals(43, heap.transaction(() -> heap.getLong(account)), "the first node still commits");
        }
    }

    private static String messages(Throwable error) {
        StringBuilder text = new StringBuilder();
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            text.append(cause.getMessage()).append(" / ");
        }
        return text.toString();
    }

    @Test
    void settingsThatCannotWorkAreRefusedNamingTheSetting() {
        Properties remote = OneNodeCluster.settings("n1", "n1@10.1.2.3:7101;n2@10.1.2.4:7101;n3@10.1.2.5:7101");
        ConfigurationException loopbackOnly = assertThrows(ConfigurationException.class, () -> ClusterSettings.from(remote));
        assertTrue(loopbackOnly.getMessage().contains("loopback") && loopbackOnly.getMessage().contains("secretFile"),
                loopbackOnly.getMessage());

        Properties stranger = OneNodeCluster.settings("n5", "n1@127.0.0.1:7101");
        assertTrue(assertThrows(ConfigurationException.class, () -> ClusterSettings.from(stranger)).getMessage()
                .contains("hotpot.address"));

        Properties badId = OneNodeCluster.settings("n 1", "n1@127.0.0.1:7101");
        assertTrue(assertThrows(ConfigurationException.class, () -> ClusterSettings.from(badId)).getMessage()
                .contains("hotpot.node"));

        Properties shortSecret = OneNodeCluster.settings("n1", "n1@127.0.0.1:7101");
        shortSecret.setProperty("hotpot.secretFile", root.resolve("missing").toString());
        assertTrue(assertThrows(ConfigurationException.class, () -> ClusterSettings.from(shortSecret)).getMessage()
                .contains("cannot be read"));

        Properties noCertificates = OneNodeCluster.settings("n1", "n1@127.0.0.1:7101");
        noCertificates.setProperty("hotpot.tlsDir", root.toString());
        assertTrue(assertThrows(ConfigurationException.class, () -> ClusterSettings.from(noCertificates)).getMessage()
                .contains("hotpot.tlsDir=" + root + " has no readable key.pem"));

        Properties timeout = OneNodeCluster.settings("n1", "n1@127.0.0.1:7101");
        timeout.setProperty("hotpot.commitTimeout", "soon");
        assertTrue(assertThrows(ConfigurationException.class, () -> ClusterSettings.from(timeout)).getMessage()
                .contains("hotpot.commitTimeout=soon"));
    }

    @Test
    void aFolderOfAnotherClusterOrOfASingleNodeHeapIsRefused() throws Exception {
        Path dir = root.resolve("d1");
        Properties first = OneNodeCluster.settings("n1", "n1@127.0.0.1:" + FreePorts.pair());
        try (ClusterNode node = ClusterNode.start(ClusterSettings.from(first), dir)) {
            Heap heap = node.openHeap(OneNodeCluster.bank(dir));
            heap.transaction(() -> heap.setRoot("mark", heap.allocate(8)));
        }
        String clusterId = Files.readString(dir.resolve(ClusterNode.CLUSTER_ID_FILE));
        // Another cluster: other peers (another coordinator group), the same folder.
        Files.move(dir.resolve("coordinator"), root.resolve("coordinator-of-the-first"));
        HotpotException other = assertThrows(HotpotException.class, () -> ClusterNode.start(
                ClusterSettings.from(OneNodeCluster.settings("n1", "n1@127.0.0.1:" + FreePorts.pair())), dir));
        assertTrue(other.getMessage().contains("holds data of cluster " + clusterId), other.getMessage());
        assertTrue(Files.exists(dir.resolve("bank")), "the folder was left as it was");

        Path single = root.resolve("single");
        Heap.open(OneNodeCluster.bank(single)).close();
        HotpotException belongsToNone = assertThrows(HotpotException.class, () -> ClusterNode.start(
                ClusterSettings.from(OneNodeCluster.settings("n1", "n1@127.0.0.1:" + FreePorts.pair())), single));
        assertTrue(belongsToNone.getMessage().contains("belongs to no cluster"), belongsToNone.getMessage());
    }
}
