package dev.hotpot.it.crash;

import dev.hotpot.Durability;
import dev.hotpot.it.support.AgentJvm;
import dev.hotpot.testing.BankState;
import dev.hotpot.testing.ChildJvm;
import dev.hotpot.testing.CrashExpectations;
import dev.hotpot.testing.CrashPlan;
import dev.hotpot.testing.PowerCut;
import dev.hotpot.testing.PowerCutStorage;
import dev.hotpot.testing.TransferPlan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The crash test of the heap, through annotated classes and {@code @Transactional}: a child JVM
 * running the agent makes concurrent transfers on a {@link Vault} and is killed with
 * {@code kill -9} at random moments; the next child prints the recovered state, which must be
 * exactly the committed transactions. {@code -Dhotpot.agent.crash.kills=N} sets the number of
 * kills (default 30). The same with power cuts: the heap's files go through a
 * {@link PowerCutStorage} (the agent's {@code storage} argument), and after each kill the folder is
 * rebuilt as the power cut leaves it ({@link PowerCut}); {@code -Dhotpot.agent.powerloss.cuts=N}
 * (default 20).
 */
class AgentCrashIT {
    private static final int THREADS = 3;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void annotatedClassesRecoverExactlyTheCommittedTransactionsAfterEveryKill() throws Exception {
        runCycles(CrashPlan.fromProperties("agent crash test", "hotpot.agent.crash.kills", 30), false);
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void annotatedClassesKeepTheAcknowledgedTransactionsThroughPowerCuts() throws Exception {
        runCycles(CrashPlan.fromProperties("agent power-loss test", "hotpot.agent.powerloss.cuts", 20), true);
    }

    private void runCycles(CrashPlan plan, boolean powerCut) throws Exception {
        Path heaps = Files.createDirectories(dir.resolve("heaps"));
        int kills = plan.kills();
        int writtenBack = 0;
        long seed = plan.seed();
        Random random = plan.random();
        CrashExpectations expected = new CrashExpectations(seed, THREADS);
        long[] acked = new long[THREADS];
        boolean acksDurable = true;
        for (int cycle = 0; cycle <= kills; cycle++) {
            boolean last = cycle == kills;
            Durability durability = cycle % 6 == 4 ? Durability.ASYNC : Durability.SYNC;
            Path ackFile = dir.resolve("acks-" + cycle);
            Files.createFile(ackFile);
            Path journal = dir.resolve("journal-" + cycle);
            String context = "cycle=" + cycle + " powerCut=" + powerCut + " seed=" + seed;
            List<String> options = powerCut ? List.of("-D" + PowerCutStorage.ROOT + "=" + heaps,
                    "-D" + PowerCutStorage.JOURNAL + "=" + Files.createDirectories(journal)) : List.of();
            String agentArguments = "dir=" + heaps + ",heap=vault,size=32m,durability=" + durability.name()
                    + (powerCut ? ",storage=" + PowerCutStorage.class.getName() : "");
            try (ChildJvm child = AgentJvm.start(options, agentArguments, System.getProperty("hotpot.test.classes"),
                    VaultWorkload.class.getName(), Long.toString(seed), Integer.toString(THREADS),
                    last ? "-" : ackFile.toString())) {
                List<String> state = child.linesUntil("END-STATE", Duration.ofSeconds(60));
                expected.verify(PrintedState.parse(state, context), acked, acksDurable, context);
                if (last) {
                    assertTrue(child.awaitExit(Duration.ofSeconds(30)) == 0, "final check exits cleanly");
                    break;
                }
                child.await("READY", Duration.ofSeconds(60));
                Thread.sleep(random.nextInt(300));
                child.kill();
            }
            if (powerCut) {
                boolean writeBack = random.nextBoolean();
                writtenBack += PowerCut.materialize(journal, heaps, writeBack ? new Random(random.nextLong()) : null);
            }
            acked = CrashExpectations.readAcks(ackFile, THREADS);
            acksDurable = durability == Durability.SYNC;
        }
        System.out.println("agent " + (powerCut ? "power-loss" : "crash") + " test: " + kills
                + (powerCut ? " power cuts (" + writtenBack + " unforced pages written back)" : " kills") + ", "
                + expected.totalApplied() + " transactions verified");
        assertTrue(expected.totalApplied() > kills, "the workload made progress: " + expected.totalApplied());
    }

    /** The state a {@link VaultWorkload} printed. */
    private record PrintedState(boolean exists, long[] lastApplied, long[] balances, Map<Integer, List<long[]>> receipts)
            implements BankState {

        static PrintedState parse(List<String> lines, String context) {
            long[] lastApplied = new long[THREADS];
            long[] balances = new long[TransferPlan.ACCOUNTS];
            Map<Integer, List<long[]>> receipts = new HashMap<>();
            boolean exists = false;
            for (String line : lines) {
                String[] p = line.split(" ");
                switch (p[0]) {
                    case "STATE" -> exists = p[1].equals("1");
                    case "LAST" -> lastApplied[Integer.parseInt(p[1])] = Long.parseLong(p[2]);
                    case "BALANCE" -> balances[Integer.parseInt(p[1])] = Long.parseLong(p[2]);
                    case "RECEIPT" -> receipts.computeIfAbsent(Integer.parseInt(p[1]), t -> new ArrayList<>())
                            .add(new long[]{Long.parseLong(p[2]), Long.parseLong(p[3])});
                    case "BROKEN" -> fail(line + " " + context);
                    default -> {
                        // log lines of the child (heap opened, recovery report)
                    }
                }
            }
            return new PrintedState(exists, lastApplied, balances, receipts);
        }

        @Override
        public long lastApplied(int thread) {
            return lastApplied[thread];
        }

        @Override
        public long balance(int account) {
            return balances[account];
        }

        @Override
        public List<long[]> receipts(int thread) {
            return receipts.getOrDefault(thread, List.of());
        }
    }
}
