package dev.hotpot.benchmarks.cluster;

import dev.hotpot.HeapFullException;
import dev.hotpot.cluster.ClusterNode;
import dev.hotpot.cluster.ClusterSettings;
import dev.hotpot.heap.Heap;
import dev.hotpot.heap.HeapConfig;
import dev.hotpot.heap.Pages;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The child JVM of the cluster harnesses: one cluster node holding heap {@value #HEAP}, driven by
 * commands on standard input, one per line ({@code <id> <command> <args>}), each answered by one
 * line on standard output: {@code @ok id=<id>} and {@code key=value} fields, or {@code @error id=<id>}
 * and a message. After the heap is open
 * it prints {@code @ready node=<id> primary=<true|false>}; nothing else it prints starts with
 * {@code @} (the node's log goes to standard error).
 *
 * <pre>
 * latency PAGES WARMUP COUNT      COUNT sequential commits, each changing one long on PAGES pages
 *                                 of this node's own block: @ok p50= p90= p99= max= n= (ns)
 * throughput THREADS START SECS ALLOC
 *                                 THREADS threads, each on its own page, commit from wall-clock
 *                                 millisecond START for SECS seconds: @ok commits= errors= forces=
 *                                 retries= (transactions run again after a conflict);
 *                                 with ALLOC > 0 bytes, each commit also allocates a block of ALLOC
 *                                 bytes, keeps its address on the page and frees the block of the
 *                                 thread's commit before (a thread frees only blocks it allocated)
 * committer                       starts a thread that commits one page in a loop and keeps each
 *                                 commit's start and end (wall-clock µs)
 * firstafter MICROS SINCE TIMEOUT_MS  waits for a committer commit that started at or after
 *                                 MICROS: @ok end= (µs) errors= (failed commits started since SINCE)
 * fill BYTES                      allocates and writes BYTES of pages, 64 pages per commit
 * write BYTES                     rewrites BYTES of the filled pages, 64 pages per commit
 * touch                           one commit on this node's block (a backup joins the in-sync
 *                                 set only once it acknowledged a record)
 * stats                           @ok primary= forces= commits=
 * exit                            closes the node and exits with status 0
 * </pre>
 *
 * <p>Args: {@code dataDir heapBytes selfDestructSeconds}; the cluster settings come as
 * {@code -Dhotpot.*} system properties. The JVM halts by itself after {@code selfDestructSeconds},
 * and when standard input ends (the harness is gone).
 *
 * <p>Threading: commands run one at a time on the main thread; throughput and committer threads
 * are its own.
 */
public final class BenchNode {
    static final String HEAP = "bench";
    static final String READY = "@ready";
    /** Pages in each node's block for latency and throughput commits: the most any command dirties or any node's threads. */
    private static final int BLOCK_PAGES = 64;
    private static final int FILL_PAGES_PER_COMMIT = 64;
    private static final long FILL_BLOCK_BYTES = 1L << 20;
    /** Pause between two committer commits, so the loop leaves the CPU to failover work. */
    private static final long COMMITTER_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final int RING = 1 << 14;

    private final String nodeId;
    private final ClusterNode node;
    private final Heap heap;
    private long block;
    private long value;
    private final List<Long> filled = new ArrayList<>();
    private final SplittableRandom random = new SplittableRandom(7);

    // The committer's ring of (start, end) wall-clock µs, guarded by this.
    private final long[] starts = new long[RING];
    private final long[] ends = new long[RING];
    private long recorded;
    private final List<Long> errorTimes = new ArrayList<>();
    private Thread committer;

    private BenchNode(String nodeId, ClusterNode node, Heap heap) {
        this.nodeId = nodeId;
        this.node = node;
        this.heap = heap;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: BenchNode <dataDir> <heapBytes> <selfDestructSeconds>");
        }
        Path directory = Path.of(args[0]);
        long heapBytes = Long.parseLong(args[1]);
        long lifetime = Long.parseLong(args[2]);
        Thread.ofPlatform().daemon().name("self-destruct").start(() -> haltAfter(lifetime));
        ClusterSettings settings = ClusterSettings.from(System.getProperties());
        ClusterNode node = ClusterNode.start(settings, directory);
        Heap heap = node.openHeap(HeapConfig.builder(directory, HEAP).size(heapBytes).build());
        BenchNode bench = new BenchNode(settings.nodeId(), node, heap);
        reply(READY + " node=" + settings.nodeId() + " primary=" + node.isPrimary(HEAP));
        bench.serve(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
    }

    private void serve(BufferedReader commands) throws IOException {
        for (String line = commands.readLine(); line != null; line = commands.readLine()) {
            String[] all = line.trim().split("\\s+");
            String id = all[0];
            String[] words = java.util.Arrays.copyOfRange(all, 1, all.length);
            try {
                String answer = switch (words[0]) {
                    case "latency" -> latency(Integer.parseInt(words[1]), Integer.parseInt(words[2]),
                            Integer.parseInt(words[3]));
                    case "throughput" -> throughput(Integer.parseInt(words[1]), Long.parseLong(words[2]),
                            Integer.parseInt(words[3]), Integer.parseInt(words[4]));
                    case "committer" -> startCommitter();
                    case "firstafter" -> firstAfter(Long.parseLong(words[1]), Long.parseLong(words[2]),
                            Long.parseLong(words[3]));
                    case "fill" -> fill(Long.parseLong(words[1]));
                    case "write" -> write(Long.parseLong(words[1]));
                    case "touch" -> {
                        long page = block() + (long) (BLOCK_PAGES - 1) * Pages.SIZE;
                        heap.transaction(() -> heap.putLong(page, heap.getLong(page) + 1));
                        yield "touched=true";
                    }
                    case "stats" -> "primary=" + node.isPrimary(HEAP) + " forces=" + forces() + " commits="
                            + (long) heap.config().meterRegistry().get("hotpot.tx.commit").tag("heap", HEAP).counter().count();
                    case "exit" -> {
                        node.close();
                        reply("@ok id=" + id);
                        System.exit(0);
                        yield "";
                    }
                    default -> throw new IllegalArgumentException("unknown command: " + line);
                };
                reply("@ok id=" + id + " " + answer);
            } catch (RuntimeException | InterruptedException e) {
                reply("@error id=" + id + " " + String.valueOf(e).replace('\n', ' '));
            }
        }
        System.err.println("BenchNode " + nodeId + ": standard input ended (the harness is gone); halting");
        Runtime.getRuntime().halt(4);
    }

    private static synchronized void reply(String line) {
        System.out.println(line);
        System.out.flush();
    }

    // ---- latency and throughput -----------------------------------------------------------------

    /** This node's block of {@link #BLOCK_PAGES} whole pages, allocated at the first call and kept under a root. */
    private long block() {
        if (block == 0) {
            String root = "block-" + nodeId;
            block = heap.transaction(() -> {
                long found = heap.root(root);
                if (found == 0) {
                    long raw = heap.allocate((long) (BLOCK_PAGES + 1) * Pages.SIZE);
                    found = (raw + Pages.OFFSET_MASK) & ~Pages.OFFSET_MASK;
                    heap.setRoot(root, found);
                }
                return found;
            });
        }
        return block;
    }

    private String latency(int pages, int warmup, int count) {
        if (pages < 1 || pages > BLOCK_PAGES) {
            throw new IllegalArgumentException("pages=" + pages + " must be 1.." + BLOCK_PAGES);
        }
        long first = block();
        Samples samples = new Samples(count);
        Runnable dirty = () -> {
            value++;
            for (int i = 0; i < pages; i++) {
                heap.putLong(first + (long) i * Pages.SIZE, value);
            }
        };
        for (int i = 0; i < warmup + count; i++) {
            long start = System.nanoTime();
            heap.transaction(dirty);
            long nanos = System.nanoTime() - start;
            if (i >= warmup) {
                samples.add(nanos);
            }
        }
        return samples.summary();
    }

    private String throughput(int threads, long startMillis, int seconds, int allocate) throws InterruptedException {
        if (threads < 0 || threads > BLOCK_PAGES) {
            throw new IllegalArgumentException("threads=" + threads + " must be 0.." + BLOCK_PAGES);
        }
        long first = block();
        long endMillis = startMillis + TimeUnit.SECONDS.toMillis(seconds);
        AtomicLong commits = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long page = first + (long) t * Pages.SIZE;
            workers.add(Thread.ofPlatform().name("throughput-" + t).start(() -> {
                sleepUntil(startMillis);
                long mine = 0;
                long v = 0;
                long kept = 0;
                while (System.currentTimeMillis() < endMillis) {
                    long next = ++v;
                    long before = kept;
                    try {
                        kept = heap.transaction(() -> {
                            heap.putLong(page, next);
                            return allocate > 0 ? replaceBlock(page + 8, before, allocate, next) : 0L;
                        });
                        if (System.currentTimeMillis() <= endMillis) {
                            mine++;
                        }
                    } catch (RuntimeException e) {
                        errors.incrementAndGet();
                        kept = 0; // freed or not, as the unknown outcome goes: left to the collector
                    }
                }
                commits.addAndGet(mine);
            }));
        }
        sleepUntil(startMillis);
        long forcesBefore = forces();
        long retriesBefore = retries();
        sleepUntil(endMillis);
        long forcesAfter = forces();
        long retriesAfter = retries();
        long joinDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (Thread worker : workers) {
            worker.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(joinDeadline - System.nanoTime())));
            if (worker.isAlive()) {
                throw new IllegalStateException("a throughput thread did not finish within 60 s after the window");
            }
        }
        return "commits=" + commits.get() + " errors=" + errors.get() + " forces=" + (forcesAfter - forcesBefore)
                + " retries=" + (retriesAfter - retriesBefore);
    }

    /**
     * Allocates a block of {@code bytes} holding {@code value}, keeps its address at {@code slot}
     * and frees {@code before} (this thread's block of its previous commit, or 0); returns the new block.
     */
    private long replaceBlock(long slot, long before, int bytes, long value) {
        long block = heap.allocate(bytes);
        heap.putLong(block, value);
        heap.putLong(slot, block);
        if (before != 0) {
            heap.free(before);
        }
        return block;
    }

    /** Transactions run again after a conflict, so far. */
    private long retries() {
        Counter counter = heap.config().meterRegistry().find("hotpot.tx.retry").tag("heap", HEAP).counter();
        return counter == null ? 0 : (long) counter.count();
    }

    private long forces() {
        Timer timer = heap.config().meterRegistry().find("hotpot.log.force").tag("heap", HEAP).timer();
        return timer == null ? 0 : timer.count();
    }

    private static void sleepUntil(long wallMillis) {
        for (long left = wallMillis - System.currentTimeMillis(); left > 0; left = wallMillis - System.currentTimeMillis()) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(left));
        }
    }

    // ---- failover -------------------------------------------------------------------------------

    private String startCommitter() {
        if (committer == null) {
            long page = block();
            committer = Thread.ofPlatform().daemon().name("committer").start(() -> commitInLoop(page));
        }
        return "started=true";
    }

    private void commitInLoop(long page) {
        long v = 0;
        while (true) {
            long next = ++v;
            long start = nowMicros();
            try {
                heap.transaction(() -> heap.putLong(page, next));
                long end = nowMicros();
                synchronized (this) {
                    int slot = (int) (recorded++ & (RING - 1));
                    starts[slot] = start;
                    ends[slot] = end;
                    notifyAll();
                }
            } catch (RuntimeException e) {
                synchronized (this) {
                    errorTimes.add(start);
                }
                System.err.println("BenchNode " + nodeId + ": committer commit failed: " + e);
            }
            LockSupport.parkNanos(COMMITTER_PAUSE_NANOS);
        }
    }

    private synchronized String firstAfter(long micros, long errorsSince, long timeoutMillis) throws InterruptedException {
        if (committer == null) {
            throw new IllegalStateException("no committer running on node " + nodeId);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
            long found = -1;
            for (long i = recorded - 1; i >= Math.max(0, recorded - RING); i--) {
                int slot = (int) (i & (RING - 1));
                if (starts[slot] < micros) {
                    break;
                }
                found = ends[slot];
            }
            if (found >= 0) {
                long errors = errorTimes.stream().filter(t -> t >= errorsSince).count();
                return "end=" + found + " errors=" + errors;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IllegalStateException("no commit started at or after " + micros + " finished within "
                        + timeoutMillis + " ms on node " + nodeId);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    }

    // ---- catch-up -------------------------------------------------------------------------------

    private String fill(long bytes) {
        long start = System.nanoTime();
        long written = 0;
        boolean full = false;
        while (written < bytes) {
            long address;
            try {
                address = heap.transaction(() -> heap.allocate(FILL_BLOCK_BYTES));
            } catch (HeapFullException e) {
                full = true;
                break;
            }
            filled.add(address);
            writeBlock(address);
            written += FILL_BLOCK_BYTES;
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        return "bytes=" + written + " millis=" + millis + " heapFull=" + full;
    }

    private String write(long bytes) {
        if (filled.isEmpty()) {
            throw new IllegalStateException("nothing filled on node " + nodeId + "; fill first");
        }
        long start = System.nanoTime();
        long written = 0;
        for (int i = 0; written < bytes; i = (i + 1) % filled.size()) {
            writeBlock(filled.get(i));
            written += FILL_BLOCK_BYTES;
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        return "bytes=" + written + " millis=" + millis;
    }

    /** Writes random bytes over a fill block, {@link #FILL_PAGES_PER_COMMIT} pages per commit. */
    private void writeBlock(long address) {
        byte[] page = new byte[Pages.SIZE];
        long pages = FILL_BLOCK_BYTES / Pages.SIZE;
        for (long p = 0; p < pages; p += FILL_PAGES_PER_COMMIT) {
            long from = p;
            heap.transaction(() -> {
                for (long q = from; q < Math.min(pages, from + FILL_PAGES_PER_COMMIT); q++) {
                    random.nextBytes(page);
                    heap.putBytes(address + q * Pages.SIZE, page);
                }
            });
        }
    }

    private static void haltAfter(long seconds) {
        try {
            TimeUnit.SECONDS.sleep(seconds);
        } catch (InterruptedException e) {
            return;
        }
        System.err.println("BenchNode: self-destruct after " + seconds + " s; halting");
        Runtime.getRuntime().halt(3);
    }
}
