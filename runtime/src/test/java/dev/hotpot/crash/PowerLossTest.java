package dev.hotpot.crash;

import dev.hotpot.Durability;
import dev.hotpot.heap.Heap;
import dev.hotpot.testing.ChildJvm;
import dev.hotpot.testing.CrashExpectations;
import dev.hotpot.testing.CrashPlan;
import dev.hotpot.testing.PowerCut;
import dev.hotpot.testing.PowerCutStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cuts the power under a child JVM making transfers: its files go through a
 * {@link PowerCutStorage}, and after it stops, {@link PowerCut} leaves on disk only what its forces
 * made durable (plus, in some cuts, a random part of what it wrote without forcing). The reopened
 * heap must then hold exactly the acknowledged transfers, at most one more per thread, none in
 * part ({@code sync}), or a prefix of the commits ({@code async}, {@code none}).
 *
 * <p>Two ways to choose the moment: a sweep over every force of a short run, from the heap's
 * creation to its closing checkpoint, and random cuts (after a random force or at a random time)
 * in a long run of concurrent transfers that checkpoints and recycles log segments often.
 * {@code -Dhotpot.powerloss.cuts=N} sets the number of random cuts (default 40).
 */
class PowerLossTest {
    /** Transfers of the sweep's single thread, each with {@link #SWEEP_PAD} more bytes of redo. */
    private static final int SWEEP_TRANSFERS = 24;
    /** With 64 KiB segments, the sweep's run creates, fills and recycles several of them. */
    private static final int SWEEP_PAD = 8 << 10;
    /** Small, so that the sweep's short run checkpoints often. */
    private static final long SWEEP_CHECKPOINT_BYTES = 16 << 10;
    private static final int THREADS = 3;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void aCutAfterEveryForceOfAShortRunKeepsExactlyTheAcknowledgedTransfers() throws Exception {
        long seed = Long.getLong("hotpot.crash.seed", System.nanoTime());
        System.out.println("power-loss sweep: seed=" + seed + " (rerun with -Dhotpot.crash.seed=" + seed + ")");
        Path dryRun = dir.resolve("dry");
        String finished = startRun(dryRun, Durability.SYNC, seed, 1, SWEEP_TRANSFERS, 0)
                .awaitSuccess(Duration.ofSeconds(60));
        int forces = Integer.parseInt(finished.lines().filter(l -> l.startsWith("FORCES ")).findFirst()
                .orElseThrow(() -> new AssertionError("no FORCES line: " + finished)).substring(7));
        assertTrue(forces > SWEEP_TRANSFERS, "every acknowledged transfer was forced: forces=" + forces);
        int writeBackCuts = 0;
        for (int k = 1; k <= forces; k++) {
            Path run = dir.resolve("cut-" + k);
            try (ChildJvm child = startRun(run, Durability.SYNC, seed, 1, SWEEP_TRANSFERS, k)) {
                int code = child.awaitExit(Duration.ofSeconds(60));
                assertTrue(code == PowerCutStorage.HALTED || code == 0, "cut after force " + k + " exited " + code
                        + ":\n" + child.transcript());
            }
            Random writeBack = k % 2 == 0 ? new Random(seed + k) : null;
            writeBackCuts += writeBack == null ? 0 : 1;
            PowerCut.materialize(run.resolve("journal"), run.resolve("heaps"), writeBack);
            verify(run, new CrashExpectations(seed, 1), 1, true, "cut after force " + k + " of " + forces
                    + " writeBack=" + (writeBack != null) + " seed=" + seed);
            deleteTree(run);
        }
        System.out.println("power-loss sweep: " + forces + " cut points, one after each force of a run of "
                + SWEEP_TRANSFERS + " transfers of " + SWEEP_PAD + " bytes and more (" + writeBackCuts
                + " of them with unforced pages written back)");
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void randomCutsDuringConcurrentTransfersKeepTheAcknowledgedOnesOrAPrefix() throws Exception {
        CrashPlan plan = CrashPlan.fromProperties("power-loss test", "hotpot.powerloss.cuts", 40);
        Random random = plan.random();
        CrashExpectations expected = new CrashExpectations(plan.seed(), THREADS);
        Path run = dir.resolve("bank");
        int halted = 0;
        for (int cycle = 0; cycle < plan.kills(); cycle++) {
            Durability durability = switch (cycle % 6) {
                case 2 -> Durability.ASYNC;
                case 5 -> Durability.NONE;
                default -> Durability.SYNC;
            };
            long haltAfter = cycle % 2 == 0 ? 1 + random.nextInt(400) : 0;
            deleteTree(run.resolve("journal"));
            Files.deleteIfExists(run.resolve("acks"));
            try (ChildJvm child = startRun(run, durability, plan.seed(), THREADS, Long.MAX_VALUE, haltAfter)) {
                if (haltAfter > 0) {
                    int code = child.awaitExit(Duration.ofSeconds(60));
                    assertEquals(PowerCutStorage.HALTED, code, "halt after force " + haltAfter + ":\n" + child.transcript());
                    halted++;
                } else {
                    child.await("READY", Duration.ofSeconds(60));
                    Thread.sleep(random.nextInt(300));
                    child.kill();
                }
            }
            boolean writeBack = random.nextBoolean();
            PowerCut.materialize(run.resolve("journal"), run.resolve("heaps"),
                    writeBack ? new Random(random.nextLong()) : null);
            verify(run, expected, THREADS, durability == Durability.SYNC, "cycle=" + cycle + " durability="
                    + durability + " haltAfter=" + haltAfter + " writeBack=" + writeBack + " seed=" + plan.seed());
        }
        System.out.println("power-loss test: " + plan.kills() + " cuts (" + halted + " right after a force), "
                + expected.totalApplied() + " transactions verified");
        assertTrue(expected.totalApplied() > 0, "the workload made progress");
    }

    /** Starts a child on {@code run}/heaps with its journal in {@code run}/journal and acks in {@code run}/acks. */
    private static ChildJvm startRun(Path run, Durability durability, long seed, int threads, long upTo, long haltAfter)
            throws IOException {
        Path heaps = Files.createDirectories(run.resolve("heaps"));
        Path journal = Files.createDirectories(run.resolve("journal"));
        Path acks = run.resolve("acks");
        if (!Files.exists(acks)) {
            Files.createFile(acks);
        }
        return ChildJvm.start(List.of("-D" + PowerCutStorage.ROOT + "=" + heaps, "-D" + PowerCutStorage.JOURNAL + "=" + journal,
                        "-D" + PowerCutStorage.HALT_AFTER + "=" + haltAfter), System.getProperty("java.class.path"),
                PowerCutWorkload.class.getName(), heaps.toString(), durability.name(), Long.toString(seed),
                Integer.toString(threads), acks.toString(), Long.toString(upTo),
                Long.toString(upTo == Long.MAX_VALUE ? 128 << 10 : SWEEP_CHECKPOINT_BYTES),
                Integer.toString(upTo == Long.MAX_VALUE ? 0 : SWEEP_PAD));
    }

    private static void verify(Path run, CrashExpectations expected, int threads, boolean acksAreDurable, String context)
            throws IOException {
        long[] acked = CrashExpectations.readAcks(run.resolve("acks"), threads);
        try (Heap heap = Heap.open(CrashBank.config(run.resolve("heaps"), Durability.SYNC))) {
            heap.transaction(() -> expected.verify(new HeapBankState(heap), acked, acksAreDurable, context));
        }
    }

    private static void deleteTree(Path path) throws IOException {
        if (Files.exists(path)) {
            try (var tree = Files.walk(path)) {
                for (Path p : (Iterable<Path>) tree.sorted(java.util.Comparator.reverseOrder())::iterator) {
                    Files.delete(p);
                }
            }
        }
    }
}
