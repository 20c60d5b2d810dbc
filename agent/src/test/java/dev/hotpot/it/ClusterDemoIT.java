package dev.hotpot.it;

import dev.hotpot.it.support.AgentJvm;
import dev.hotpot.testing.ChildJvm;
import dev.hotpot.testing.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's demo on its default three nodes, run twice: a node is killed with kill -9 and comes
 * back, every node finds the total unchanged, and the second run finds the bank of the first.
 */
class ClusterDemoIT {
    @TempDir
    Path dir;

    @Test
    void theClusterDemoSurvivesAKillAndFindsItsBankAgain() throws Exception {
        int port = FreePorts.pairs(3, 10);
        String first = run(port);
        assertTrue(first.contains("Run #1: 256 accounts, 0 transfers committed by earlier runs, total balance 25,600,000"),
                first);
        assertTrue(Pattern.compile("s: kill -9 n\\d \\((the primary|a backup)\\)").matcher(first).find(), first);
        assertTrue(Pattern.compile("s: n\\d is back and commits again").matcher(first).find(), first);
        assertTrue(first.contains("Commits on the survivors paused for at most"), first);
        assertTrue(first.contains("Total balance 25,600,000 on every node: unchanged"), first);
        String second = run(port);
        assertTrue(Pattern.compile("Run #2: 256 accounts, [1-9]\\d* transfers committed by earlier runs").matcher(second)
                .find(), second);
        assertTrue(second.contains("Total balance 25,600,000 on every node: unchanged"), second);
    }

    private String run(int port) throws Exception {
        try (ChildJvm demo = AgentJvm.start("", BankSampleIT.samples(), "dev.hotpot.samples.bank.BankDemo",
                "--accounts", "256", "--seconds", "8", "--port", Integer.toString(port), "--dir", dir.toString())) {
            return demo.awaitSuccess(Duration.ofMinutes(4));
        }
    }
}
