package dev.hotpot;

import dev.hotpot.heap.Heap;
import dev.hotpot.heap.HeapConfig;
import dev.hotpot.metrics.MetricsEndpoint;
import dev.hotpot.testing.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A process whose heap is local serves the same status page as a cluster node: the page, and a
 * status that names the heap with its one copy and charts the commits made meanwhile.
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class LocalStatusPageTest {
    private static final Pattern COMMITS = Pattern.compile("\"commits\":([0-9.]+)");

    @TempDir
    Path dir;

    @Test
    void theStatusShowsTheLocalHeapAndItsCommitsPerSecond() throws Exception {
        int port = FreePorts.pair();
        MetricsEndpoint endpoint = MetricsEndpoint.start(new InetSocketAddress("127.0.0.1", port), "test");
        HttpClient http = HttpClient.newHttpClient();
        try (Heap heap = Heap.open(HeapConfig.builder(dir, "accounts").size(4L << 20).build()
                .withMeterRegistry(endpoint.registry()))) {
            new LocalStatusPage(heap).serveOn(endpoint);
            long account = heap.transaction(() -> {
                long block = heap.allocate(8);
                heap.setRoot("account", block);
                return block;
            });
            String page = get(http, port, "/");
            assertTrue(page.contains("/status.json"), "the page polls the status");

            double committed = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            String status = "";
            while (committed == 0 && System.nanoTime() < deadline) {
                for (int i = 0; i < 50; i++) {
                    heap.transaction(() -> heap.putLong(account, heap.getLong(account) + 1));
                }
                Thread.sleep(200);
                status = get(http, port, "/status.json");
                Matcher commits = COMMITS.matcher(status);
                while (commits.find()) {
                    committed = Math.max(committed, Double.parseDouble(commits.group(1)));
                }
            }
            assertTrue(committed > 0, "a sample counts the commits of its second: " + status);
            assertTrue(status.contains("\"cluster\":\"single-node heap\""), status);
            assertTrue(status.contains("\"heaps\":[{\"name\":\"accounts\",\"epoch\":0,"), status);
            assertTrue(status.contains("\"copies\":1"), status);
            assertTrue(status.contains("\"lag\":[]") && status.contains("\"failovers\":[]"), status);
        } finally {
            endpoint.close();
        }
    }

    private static String get(HttpClient http, int port, String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), path);
        return response.body();
    }
}
