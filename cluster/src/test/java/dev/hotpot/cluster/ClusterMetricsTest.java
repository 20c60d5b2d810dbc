package dev.hotpot.cluster;

import dev.hotpot.testing.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Each node of a 3-node cluster serves its meters in the Prometheus format on {@code hotpot.http}:
 * the primary counts records shipped to and acknowledged by each backup, its replication wait and
 * lag per backup; every node its epoch, apply lag and refused connections; the backups the image
 * bytes they caught up with; and the node that takes over from a killed primary counts a failover.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ClusterMetricsTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path root;

    @Test
    void everyNodeServesItsClusterMetersWithTheirLabels() throws Exception {
        Map<String, Integer> httpPorts = new HashMap<>();
        try (LocalCluster cluster = new LocalCluster(root, 3, BankNode.class, BankNode.arguments(16, 2), List.of())) {
            for (String id : cluster.ids()) {
                httpPorts.put(id, FreePorts.pair());
                cluster.start(id, List.of("-Dhotpot.http=127.0.0.1:" + httpPorts.get(id)));
            }
            for (String id : cluster.ids()) {
                cluster.awaitReady(id, Duration.ofSeconds(90));
            }
            cluster.awaitAcknowledged(cluster.ids(), 300);
            String primary = cluster.primaryByLog();
            String text = scrape(httpPorts.get(primary));
            assertTrue(value(text, "hotpot_tx_commit_total", Map.of("heap", "bank")) > 0, "the heap's own meters");
            assertTrue(value(text, "hotpot_cluster_replication_wait_seconds_count", labels(primary)) > 0,
                    "the primary waited for its backups");
            for (String backup : cluster.ids()) {
                if (backup.equals(primary)) {
                    continue;
                }
                Map<String, String> of = new HashMap<>(labels(primary));
                of.put("backup", backup);
                assertTrue(value(text, "hotpot_cluster_records_shipped_total", of) > 0, "records shipped to " + backup);
                assertTrue(value(text, "hotpot_cluster_acks_total", of) > 0, "acknowledgements of " + backup);
                assertTrue(value(text, "hotpot_cluster_replication_lag_bytes", of) >= 0, "lag of " + backup);

                String backupText = scrape(httpPorts.get(backup));
                assertTrue(value(backupText, "hotpot_cluster_epoch", labels(backup)) >= 1, "epoch on " + backup);
                assertTrue(value(backupText, "hotpot_cluster_apply_lag", labels(backup)) >= 0, "apply lag on " + backup);
                assertTrue(value(backupText, "hotpot_cluster_refused_connections", Map.of("node", backup)) == 0,
                        "no connection was refused on " + backup);
                Map<String, String> received = new HashMap<>(labels(backup));
                received.put("direction", "received");
                assertTrue(value(backupText, "hotpot_cluster_catchup_bytes_total", received) > 0,
                        backup + " caught up from an image when it joined");
            }

            cluster.kill(primary);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                double failovers = 0;
                for (String survivor : cluster.ids()) {
                    if (!survivor.equals(primary)) {
                        failovers += value(scrape(httpPorts.get(survivor)), "hotpot_cluster_failovers_total",
                                labels(survivor));
                    }
                }
                if (failovers >= 1) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    fail("the survivors count no failover 60 s after the primary was killed");
                }
                Thread.sleep(200);
            }
        }
    }

    private static Map<String, String> labels(String node) {
        return Map.of("heap", "bank", "node", node);
    }

    private static String scrape(int port) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(response.statusCode() == 200, "status " + response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"),
                "the Prometheus text format");
        return response.body();
    }

    /** The value of the sample {@code name} whose labels include {@code labels}; fails if there is none. */
    private static double value(String text, String name, Map<String, String> labels) {
        for (String line : text.split("\n")) {
            if (!line.startsWith(name + "{")) {
                continue;
            }
            String labelText = line.substring(name.length() + 1, line.indexOf('}'));
            boolean all = labels.entrySet().stream()
                    .allMatch(label -> labelText.contains(label.getKey() + "=\"" + label.getValue() + "\""));
            if (all) {
                return Double.parseDouble(line.substring(line.indexOf('}') + 1).trim().split(" ")[0]);
            }
        }
        return fail("no sample " + name + " with labels " + labels + " in:\n" + text);
    }
}
