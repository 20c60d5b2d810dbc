package dev.hotpot.cluster;

import dev.hotpot.heap.Heap;
import dev.hotpot.heap.HeapConfig;
import dev.hotpot.testing.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A node that takes an image of the primary's heap takes the primary's recent transaction ids in
 * place of its own, in memory and in its file. Its own copy here holds a record the cluster never
 * had, and its file an id the cluster never committed: promoted later, the node would answer a
 * retry of that id OK without applying it. And a commit made before the image reaches the node
 * only through the image: without the primary's ids, a retry of it would apply twice.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ImageDedupeTest {
    private static final long NEVER_COMMITTED = 0x5_0000_0001L;
    private static final long COMMITTED = 0x5_0000_0002L;

    @TempDir
    Path root;

    @Test
    void aNodeThatTakesAnImageKnowsThePrimarysIdsAndForgetsItsOwn() throws Exception {
        int ports = FreePorts.pairs(2, 2);
        try (ClusterNode primary = OneNodeCluster.startPeer(ports, root.resolve("d1"), 1)) {
            Heap onPrimary = primary.openHeap(OneNodeCluster.bank(root.resolve("d1")));
            long account = OneNodeCluster.createAccount(onPrimary, 42);
            long readVersion = onPrimary.transactionManager().clock();
            long sequence;
            try (RawPeer peer = RawPeer.subscribe("n7", null, "n1", ports, "bank")) {
                Messages.Committed committed = peer.commit(peer.epoch(), COMMITTED, readVersion, account, 43);
                assertEquals(Messages.CommitStatus.OK, committed.status());
                sequence = committed.sequence();
            }

            HeapConfig copy = OneNodeCluster.bank(root.resolve("d2"));
            try (Heap alone = Heap.open(copy)) {
                OneNodeCluster.createAccount(alone, 1);
            }
            Files.copy(root.resolve("d1").resolve(ClusterNode.CLUSTER_ID_FILE),
                    root.resolve("d2").resolve(ClusterNode.CLUSTER_ID_FILE));
            Path idsFile = copy.heapDirectory().resolve(RecentCommitsKeeper.FILE);
            RecentCommits own = new RecentCommits();
            own.logged(NEVER_COMMITTED, 5);
            RecentCommitsFile.save(own, RecentCommits.SAVED, idsFile);
            try (ClusterNode second = OneNodeCluster.startJoiner(ports, root.resolve("d2"), 1)) {
                Heap heap = second.openHeap(copy);
                assertEquals(43, heap.transaction(() -> heap.getLong(account)), "the node took the primary's image");
                RecentCommits taken = second.heaps().get("bank").recent();
                assertEquals(-1, taken.sequenceOf(NEVER_COMMITTED), "the id the cluster never committed is forgotten");
                assertEquals(sequence, taken.sequenceOf(COMMITTED), "the commit made before the image is known");
                RecentCommits saved = new RecentCommits();
                RecentCommitsFile.load(idsFile, saved);
                assertEquals(-1, saved.sequenceOf(NEVER_COMMITTED), "and forgotten in the node's file");
                assertEquals(sequence, saved.sequenceOf(COMMITTED), "and known there");
            }
        }
    }
}
