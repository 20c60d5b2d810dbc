package dev.hotpot.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * What a status page charts and lists over the last minutes: once a second, per heap, the commits
 * per second (from the heap's commit sequence, which counts one per commit within an epoch) and
 * the p99 of its recent commit latencies; and the last failovers. Also serves the page itself
 * ({@code status.html}, plain HTML and script polling {@code /status.json}) and the JSON of a
 * status whose parts the caller writes.
 *
 * <p>Invariants: at most {@link #SAMPLES} samples and {@link #FAILOVERS} failovers are kept; a
 * sample across a change of epoch counts no commits rather than a wrong number.
 *
 * <p>Threading: the sampler thread records, request threads read; both under this object's lock.
 */
public final class StatusHistory {
    public static final int SAMPLES = 300;
    public static final int FAILOVERS = 10;
    private static final long SAMPLE_MILLIS = 1_000;

    private final ArrayDeque<String> samples = new ArrayDeque<>();
    private final ArrayDeque<String> failovers = new ArrayDeque<>();
    /** Per heap, the epoch and the sequence within it at the last sample. */
    private final Map<String, long[]> last = new HashMap<>();

    /**
     * Serves {@code /} (the page) and {@code /status.json} on {@code endpoint}, and starts a daemon
     * thread that calls {@code sampler} with the time every second (a failure skips that second).
     *
     * @param status the status as JSON; {@link #samplesJson} and {@link #failoversJson} give its charted parts
     */
    public void serveOn(MetricsEndpoint endpoint, java.util.function.Supplier<String> status, LongConsumer sampler) {
        byte[] page = page();
        endpoint.serve("/", "text/html; charset=utf-8", () -> page);
        endpoint.serve("/status.json", "application/json", () -> status.get().getBytes(StandardCharsets.UTF_8));
        Thread.ofPlatform().daemon().name("hotpot-status-sampler").start(() -> {
            while (true) {
                try {
                    Thread.sleep(SAMPLE_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
                try {
                    sampler.accept(System.currentTimeMillis());
                } catch (RuntimeException e) {
                    // A heap being replaced or closed: the next second samples again.
                }
            }
        });
    }

    /**
     * Records one second of heap {@code heap}: its commit sequence now, as an epoch and the count
     * within it, and the p99 of its recent commit latencies.
     */
    public synchronized void sample(long now, String heap, long epoch, long sequenceInEpoch, long p99Nanos) {
        long[] previous = last.put(heap, new long[] {epoch, sequenceInEpoch});
        long commits = previous != null && previous[0] == epoch ? sequenceInEpoch - previous[1] : 0;
        double perSecond = commits * 1_000.0 / SAMPLE_MILLIS;
        addLast(samples, SAMPLES, "{\"t\":" + now + ",\"heap\":\"" + heap + "\",\"commits\":" + perSecond
                + ",\"p99\":" + p99Nanos / 1e6 + "}");
    }

    /** Records that heap {@code heap} changed primary from {@code from} to {@code to} in {@code epoch}. */
    public synchronized void failover(long now, String heap, String from, String to, long epoch) {
        addLast(failovers, FAILOVERS, "{\"t\":" + now + ",\"heap\":\"" + heap + "\",\"from\":\"" + from
                + "\",\"to\":\"" + to + "\",\"epoch\":" + epoch + "}");
    }

    /** The samples, oldest first, as the elements of a JSON array. */
    public synchronized String samplesJson() {
        return String.join(",", samples);
    }

    /** The failovers, oldest first, as the elements of a JSON array. */
    public synchronized String failoversJson() {
        return String.join(",", failovers);
    }

    private static byte[] page() {
        try (InputStream in = StatusHistory.class.getResourceAsStream("status.html")) {
            if (in == null) {
                throw new IllegalStateException("status.html is missing from the runtime module");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void addLast(ArrayDeque<String> items, int limit, String item) {
        items.addLast(item);
        while (items.size() > limit) {
            items.removeFirst();
        }
    }
}
