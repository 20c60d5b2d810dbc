package dev.hotpot.cluster;

import dev.hotpot.HotpotException;
import dev.hotpot.heap.Heap;
import dev.hotpot.testing.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node keeps the ceiling of its transaction ids beside its heap's folder and starts every life
 * above the last one's, so no id repeats across restarts, even one with an empty folder; a damaged
 * ceiling stops the node with a message that says what it guards and what to do.
 */
class TxIdCeilingTest {
    @TempDir
    Path root;

    @Test
    void theCeilingIsReadBackAndAMissingFileIsZero() {
        TxIdCeilingFile file = new TxIdCeilingFile(root.resolve("bank.txid-ceiling"));
        assertEquals(0, file.read());
        file.write(123_456_789L);
        assertEquals(123_456_789L, file.read());
        file.write(223_456_789L);
        assertEquals(223_456_789L, file.read());
    }

    @Test
    void aDamagedCeilingIsRefusedWithWhatItGuards() throws Exception {
        Path path = root.resolve("bank.txid-ceiling");
        new TxIdCeilingFile(path).write(42);
        byte[] bytes = Files.readAllBytes(path);
        bytes[12] ^= 1;
        Files.write(path, bytes);
        HotpotException e = assertThrows(HotpotException.class, () -> new TxIdCeilingFile(path).read());
        assertTrue(e.getMessage().contains(path.toString()) && e.getMessage().contains("checksum")
                && e.getMessage().contains("reuse the id"), e.getMessage());
        Files.write(path, new byte[] {1, 2, 3});
        e = assertThrows(HotpotException.class, () -> new TxIdCeilingFile(path).read());
        assertTrue(e.getMessage().contains("not a transaction id ceiling"), e.getMessage());
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void everyLifeOfANodeStartsAboveTheLastOnesCeiling() throws Exception {
        int ports = FreePorts.pairs(2, 2);
        Path ceiling = root.resolve("d2").resolve("bank.txid-ceiling");
        try (ClusterNode primary = OneNodeCluster.startPeer(ports, root.resolve("d1"), 1)) {
            Heap onPrimary = primary.openHeap(OneNodeCluster.bank(root.resolve("d1")));
            long account = OneNodeCluster.createAccount(onPrimary, 0);
            long last = 0;
            for (int life = 0; life < 3; life++) {
                try (ClusterNode second = OneNodeCluster.startJoiner(ports, root.resolve("d2"), 1)) {
                    Heap heap = second.openHeap(OneNodeCluster.bank(root.resolve("d2")));
                    long reserved = new TxIdCeilingFile(ceiling).read();
                    assertTrue(reserved > last, "life " + life + " reserved " + reserved + ", not above " + last);
                    heap.transaction(() -> heap.putLong(account, heap.getLong(account) + 1));
                    last = reserved;
                }
            }
            // A node given an empty folder (a replaced disk) has no ceiling: it starts above its own ids
            // among the recent ones that come with the primary's image.
            try (var files = Files.walk(root.resolve("d2"))) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
            try (ClusterNode second = OneNodeCluster.startJoiner(ports, root.resolve("d2"), 1)) {
                Heap heap = second.openHeap(OneNodeCluster.bank(root.resolve("d2")));
                long reserved = new TxIdCeilingFile(ceiling).read();
                assertTrue(reserved > last, "with an empty folder the node reserved " + reserved + ", not above its last"
                        + " life's " + last + ", whose ids the primary may still answer as retries");
                heap.transaction(() -> heap.putLong(account, heap.getLong(account) + 1));
            }
            assertEquals(4, onPrimary.transaction(() -> onPrimary.getLong(account)));
        }
    }
}
