package dev.hotpot.offline;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code verify}, {@code gc} and {@code stats} on heaps written through the runtime's API: the
 * samples' data (linked accounts with strings and enums, hash and sorted maps, lists, arrays, a
 * class with added fields in extension blocks) and a random workload.
 */
class OfflineCommandsTest {
    /** Accounts dropped after they got extension blocks: gc also frees their extension table entries. */
    private static final int DROPPED_EXTENSIONS = 5;
    private static final Pattern UNREACHABLE = Pattern.compile("unreachable, which gc frees: ([\\d,]+) blocks \\(([\\d,]+) bytes\\)");
    private static final Pattern FREED = Pattern.compile("freed ([\\d,]+) unreachable blocks \\(([\\d,]+) bytes\\)");

    @TempDir
    Path dir;

    @Test
    void verifyAcceptsTheSamplesAndChangesNoByte() {
        Path heap = SampleHeaps.copyOfSamples(dir);
        var before = SampleHeaps.digests(heap);
        Commands verify = Commands.run("verify", heap);
        assertEquals(0, verify.exitCode(), verify::toString);
        assertTrue(verify.out().contains("heap sample: no problems"), verify::toString);
        Commands stats = Commands.run("stats", heap);
        assertEquals(0, stats.exitCode(), stats::toString);
        assertEquals(before, SampleHeaps.digests(heap), "verify and stats changed the heap's files");
    }

    @Test
    void gcFreesWhatStatsCountsAsUnreachableAndKeepsEveryReachableObject() {
        Path heap = SampleHeaps.copyOfSamples(dir);
        Commands stats = Commands.run("stats", heap);
        long[] unreachable = figures(UNREACHABLE, stats);
        assertTrue(unreachable[0] > 20, stats::toString);
        assertTrue(stats.out().contains("objects of dev.hotpot.offline.Account v2"), stats::toString);
        var reachable = SampleHeaps.reachable(heap);
        var objects = SampleHeaps.reachableObjects(heap);

        Commands gc = Commands.run("gc", heap);
        assertEquals(0, gc.exitCode(), gc::toString);
        long[] freed = figures(FREED, gc);
        assertEquals(unreachable[0] + DROPPED_EXTENSIONS, freed[0], "the unreachable blocks and the extension table"
                + " entries of dropped accounts: " + gc);

        SampleHeaps.assertKeptReachable(reachable, SampleHeaps.reachable(heap), DROPPED_EXTENSIONS, "gc of the samples");
        assertEquals(objects, SampleHeaps.reachableObjects(heap), "gc changed a reachable object");
        Commands verify = Commands.run("verify", heap);
        assertEquals(0, verify.exitCode(), verify::toString);
        assertEquals(0, figures(UNREACHABLE, Commands.run("stats", heap))[0]);
        assertEquals(0, figures(FREED, Commands.run("gc", heap))[0], "a second gc finds nothing");
    }

    @Test
    void aRandomWorkloadLeavesAHeapThatVerifiesBeforeAndAfterGc() {
        long seed = System.nanoTime();
        SampleHeaps.write(dir, "random", List.of(), "random", Long.toString(seed), "600");
        Path heap = dir.resolve("random");
        Commands verify = Commands.run("verify", heap);
        assertEquals(0, verify.exitCode(), () -> "seed=" + seed + " " + verify);
        var reachable = SampleHeaps.reachable(heap);
        Commands gc = Commands.run("gc", heap);
        assertEquals(0, gc.exitCode(), () -> "seed=" + seed + " " + gc);
        SampleHeaps.assertKeptReachable(reachable, SampleHeaps.reachable(heap), 0, "seed=" + seed);
        Commands again = Commands.run("verify", heap);
        assertEquals(0, again.exitCode(), () -> "seed=" + seed + " " + again);
    }

    /** The two numbers {@code pattern} finds in the command's output. */
    private static long[] figures(Pattern pattern, Commands command) {
        Matcher matcher = pattern.matcher(command.out());
        assertTrue(matcher.find(), command::toString);
        return new long[] {Long.parseLong(matcher.group(1).replace(",", "")), Long.parseLong(matcher.group(2).replace(",", ""))};
    }
}
