package dev.hotpot.benchmarks.ycsb;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ComparisonTest {

    @Test
    void defaultHotpotHeapIsTwice4KiBPerRecordAndAtLeastTheMinimum() {
        assertEquals("1024m", Comparison.defaultHotpotSize(500, 1024));
        assertEquals("1024m", Comparison.defaultHotpotSize(50_000, 1024));
        assertEquals("1563m", Comparison.defaultHotpotSize(200_000, 1024));
        assertEquals("256m", Comparison.defaultHotpotSize(10_000, 256));
    }

    @Test
    void rejectsRunLengthsNoRunCouldMeetBeforeStartingAnyChild(@TempDir Path out) {
        assertRejected(out, "--timeout=20 must exceed --seconds=20", "--seconds", "20", "--timeout", "20");
        assertRejected(out, "--seconds=0 must be at least 1", "--seconds", "0");
        assertRejected(out, "--max-operations=2147483648 must be between 1 and 2147483647",
                "--max-operations", "2147483648");
        assertFalse(Files.exists(out.resolve("raw")), "nothing was run");
    }

    private static void assertRejected(Path out, String message, String... options) {
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new Comparison()).setErr(new PrintWriter(err));
        String[] args = new String[options.length + 4];
        System.arraycopy(new String[] {"--systems", "memory", "--out", out.toString()}, 0, args, 0, 4);
        System.arraycopy(options, 0, args, 4, options.length);

        assertEquals(CommandLine.ExitCode.USAGE, cmd.execute(args), err.toString());
        assertTrue(err.toString().contains(message), err.toString());
    }
}
