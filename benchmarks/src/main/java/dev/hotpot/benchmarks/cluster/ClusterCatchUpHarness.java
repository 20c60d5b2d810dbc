package dev.hotpot.benchmarks.cluster;

import dev.hotpot.benchmarks.ScratchDirectory;
import dev.hotpot.coordinator.HeapAssignment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Time to restore N = 3 copies after a backup is lost, on a 3-node cluster whose heap (256 MiB by
 * default) is filled with random pages first. The backup's JVM is killed with SIGKILL; once the
 * primary has dropped it from the in-sync set, the primary rewrites some of the data (so the
 * backup misses commits), and the backup restarts with its old folder (it is streamed the records
 * it missed), with an empty heap folder but its coordinator replica kept (it takes an image of the
 * whole heap), and, once at the end, with an empty folder, coordinator replica gone too. Timed from
 * the restart to the coordinator showing it in-sync; then the harness checks that the node's
 * coordinator replica catches up as well.
 *
 * <p>Options: {@code --heap-mib 256 --down-mib 32 --rounds 1 --out benchmarks/results/cluster-catchup.md
 * --logs DIR}, and the node settings of {@link Options}.
 *
 * <p>Threading: single-threaded apart from the output pumps.
 */
public final class ClusterCatchUpHarness {
    private static final int REPLICAS = 3;
    /** Left unfilled, for the allocator's own structures and the harness's blocks. */
    private static final long SPARE_BYTES = 16L << 20;
    private static final Duration FILL_TIMEOUT = Duration.ofMinutes(20);
    private static final Duration CATCH_UP_TIMEOUT = Duration.ofMinutes(10);
    private static final Pattern IMAGE = Pattern.compile("received an image of (\\d+) pages .* in (\\d+) ms");
    private static final Pattern FOLLOWS = Pattern.compile("follows primary \\S+ of heap \\S+ in epoch \\d+ \\((\\w+)\\)");

    private static final Duration REPLICA_TIMEOUT = Duration.ofSeconds(60);

    private ClusterCatchUpHarness() {
    }

    /** What the restarted backup finds in its data folder. */
    private enum Folder {
        OLD("its old folder"),
        EMPTY_HEAP("an empty heap folder (coordinator replica kept)"),
        EMPTY_NODE("an empty folder (coordinator replica gone too)");

        private final String text;

        Folder(String text) {
            this.text = text;
        }
    }

    public static void main(String[] args) {
        Options options = Options.parse(ClusterCatchUpHarness.class, args,
                Set.of("heap-mib", "down-mib", "rounds", "out", "logs"));
        long heapBytes = (long) options.integer("heap-mib", 256) << 20;
        long downBytes = (long) options.integer("down-mib", 32) << 20;
        int rounds = options.integer("rounds", 1);
        Path out = options.path("out", "benchmarks/results/cluster-catchup.md");
        Path logs = options.path("logs", System.getProperty("java.io.tmpdir") + "/hotpot-cluster-logs/catchup-"
                + System.currentTimeMillis());
        Report report = new Report("Cluster catch-up (ClusterCatchUpHarness)", options.command());
        report.paragraph("N = " + REPLICAS + " copies on 3 nodes, heap " + (heapBytes >> 20) + " MiB. The primary fills it"
                + " with random pages (64 pages per commit) up to " + ((heapBytes - SPARE_BYTES) >> 20) + " MiB or until it is"
                + " full. Each case: kill -9 a backup, wait until the primary dropped it from the in-sync set, rewrite "
                + (downBytes >> 20) + " MiB of the filled pages on the primary, then restart the backup and time until the"
                + " coordinator lists it in-sync. Folders: old = as it was; empty heap folder = everything but the"
                + " coordinator replica's folder deleted; empty folder = the whole data folder deleted (run once, last)."
                + " \"Heap open\" is when the node's `openHeap` returned (image received or"
                + " stream started). Rate: heap bytes per second for an image, rewritten bytes per second for a stream."
                + " Node settings: " + options.nodeSettingsText() + ". Node logs: " + logs + ".");
        Path scratch = ScratchDirectory.create("hotpot-cluster-catchup-");
        List<List<String>> rows = new ArrayList<>();
        try (BenchCluster cluster = new BenchCluster(scratch, logs, REPLICAS, heapBytes, options.nodeSettings(),
                Duration.ofMinutes(60))) {
            cluster.startAll();
            HeapAssignment assignment = cluster.awaitCopies(Duration.ofSeconds(120), true);
            Map<String, String> filled = cluster.node(assignment.primary()).request("fill " + (heapBytes - SPARE_BYTES),
                    FILL_TIMEOUT);
            long fillBytes = Long.parseLong(filled.get("bytes"));
            long fillMillis = Long.parseLong(filled.get("millis"));
            report.paragraph(String.format(Locale.ROOT, "Fill on the primary (%s): %d MiB in %d ms (%.1f MiB/s with N = 3"
                            + " copies)%s.", assignment.primary(), fillBytes >> 20, fillMillis,
                    (fillBytes / 1048576.0) / (fillMillis / 1000.0),
                    Boolean.parseBoolean(filled.get("heapFull")) ? ", stopped by a full heap" : ""));
            for (int round = 1; round <= rounds; round++) {
                for (Folder folder : List.of(Folder.OLD, Folder.EMPTY_HEAP)) {
                    rows.add(catchUp(cluster, Integer.toString(round), folder, heapBytes, downBytes));
                    System.out.println("  " + rows.getLast());
                }
            }
            // Last, since the coordinator replica it wipes may not come back (see the report).
            rows.add(catchUp(cluster, "last", Folder.EMPTY_NODE, heapBytes, downBytes));
            System.out.println("  " + rows.getLast());
            report.table(List.of("round", "folder", "backup", "how it caught up", "restart → heap open (ms)",
                    "restart → in-sync (ms)", "image transfer (node log)", "rate to in-sync",
                    "coordinator replica caught up (within " + REPLICA_TIMEOUT.toSeconds() + " s of in-sync)"), rows);
            List<String> events = cluster.events();
            report.paragraph(events.isEmpty() ? "No node stopped by itself." : "Events: " + String.join("; ", events) + ".");
        } finally {
            ScratchDirectory.delete(scratch);
            report.write(out);
        }
    }

    private static List<String> catchUp(BenchCluster cluster, String round, Folder folder, long heapBytes,
                                        long downBytes) {
        HeapAssignment before = cluster.awaitCopies(Duration.ofSeconds(120), true);
        cluster.awaitCoordinatorReplicas(Duration.ofSeconds(120));
        String primary = before.primary();
        String victim = before.inSync().getLast();
        switch (folder) {
            case OLD -> cluster.kill(victim);
            case EMPTY_HEAP -> cluster.wipeHeap(victim);
            case EMPTY_NODE -> cluster.wipe(victim);
        }
        awaitDropped(cluster, victim);
        cluster.node(primary).request("write " + downBytes, FILL_TIMEOUT);

        long start = System.nanoTime();
        cluster.launch(victim);
        cluster.awaitReady(victim);
        long open = System.nanoTime() - start;
        long deadline = start + CATCH_UP_TIMEOUT.toNanos();
        long nextTouch = System.nanoTime();
        while (!isInSync(cluster, victim)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(victim + " did not become in-sync within " + CATCH_UP_TIMEOUT.toSeconds()
                        + " s of its restart; log " + cluster.node(victim).log());
            }
            if (System.nanoTime() > nextTouch) {
                // A backup joins the in-sync set once it acknowledged a record: give it one.
                cluster.node(primary).request("touch", Duration.ofSeconds(30));
                nextTouch = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        long inSync = System.nanoTime() - start;
        String log = read(cluster.node(victim).log());
        Matcher follows = FOLLOWS.matcher(log);
        String how = follows.find() ? follows.group(1) : "?";
        Matcher image = IMAGE.matcher(log);
        String imageText = image.find() ? String.format(Locale.ROOT, "%d pages in %s ms (%.0f MiB/s)",
                Long.parseLong(image.group(1)), image.group(2),
                Long.parseLong(image.group(1)) * 4096 / 1048576.0 / (Long.parseLong(image.group(2)) / 1000.0)) : "none";
        long bytes = how.equals("NEED_IMAGE") ? heapBytes : downBytes;
        String rate = String.format(Locale.ROOT, "%.1f MiB/s (%d MiB)", bytes / 1048576.0 / (inSync / 1e9), bytes >> 20);
        String replica;
        try {
            cluster.awaitCoordinatorReplicas(REPLICA_TIMEOUT);
            replica = "yes";
        } catch (IllegalStateException e) {
            replica = "no";
            cluster.note(victim + " restarted with " + folder.text + ": its coordinator replica did not serve a caught-up"
                    + " read within " + REPLICA_TIMEOUT.toSeconds() + " s of being in-sync; log " + cluster.node(victim).log());
        }
        return List.of(round, folder.text, victim, how, Report.millis(open), Report.millis(inSync), imageText, rate,
                replica);
    }

    /** Waits until the primary has dropped {@code victim} from the in-sync set (backupTimeout after the kill). */
    private static void awaitDropped(BenchCluster cluster, String victim) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (isInSync(cluster, victim)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the primary did not drop the killed backup " + victim
                        + " from the in-sync set within 60 s");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    private static boolean isInSync(BenchCluster cluster, String id) {
        try {
            return cluster.assignment().inSync().contains(id);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
