package dev.hotpot.it;

import dev.hotpot.it.support.AgentJvm;
import dev.hotpot.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bank sample of the README's demo, run twice with the agent: the total holds and the state survives. */
class BankSampleIT {
    @TempDir
    Path dir;

    @Test
    void theBankKeepsItsTotalAndFindsItsAccountsAgain() throws Exception {
        String first = run();
        assertTrue(first.contains("Run #1: 256 accounts, 0 transfers committed by earlier runs, total balance 25,600,000"), first);
        assertTrue(first.contains("Total balance 25,600,000: unchanged"), first);
        String second = run();
        assertTrue(second.contains("Run #2: 256 accounts"), second);
        assertTrue(second.contains("Total balance 25,600,000: unchanged"), second);
    }

    private String run() throws Exception {
        try (ChildJvm bank = AgentJvm.start("dir=" + dir + ",heap=bank,size=16m", samples(), "dev.hotpot.samples.bank.BankDemo",
                "--nodes", "1", "--accounts", "256", "--threads", "4", "--transfers", "400")) {
            return bank.awaitSuccess(Duration.ofSeconds(120));
        }
    }

    static String samples() {
        return AgentJvm.classPathEntries(path -> path.contains("hotpot-samples") || path.endsWith("samples/target/classes"))
                .stream().findFirst().orElseThrow(() -> new IllegalStateException("the samples are not on the test class path"));
    }
}
