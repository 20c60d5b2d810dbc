package dev.hotpot.cluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code hotpot status} against a live 3-node cluster, through one node's address: every node,
 * the heap's epoch, primary and backups, each node's role and positions; after the primary is
 * killed, asked through a survivor, the killed node is failed and another is primary.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class StatusCommandTest {
    private static final Pattern HEAP = Pattern.compile("heap bank: epoch (\\d+), primary (\\S+), in-sync backups (\\S+), 3 copies");

    @TempDir
    Path root;

    @Test
    void showsTheNodesTheirRolesAndTheirLagBeforeAndAfterAKill() throws Exception {
        try (LocalCluster cluster = new LocalCluster(root, 3, BankNode.class, BankNode.arguments(16, 2), List.of())) {
            cluster.startAll(Duration.ofSeconds(90));
            cluster.awaitAcknowledged(cluster.ids(), 200);
            String primary = cluster.primaryByLog();
            String before = awaitStatus(cluster.address("n1"), text -> {
                Matcher heap = HEAP.matcher(text);
                return heap.find() && heap.group(3).contains(",");
            });
            Matcher heap = HEAP.matcher(before);
            assertTrue(heap.find(), before);
            assertEquals(primary, heap.group(2), before);
            for (String id : cluster.ids()) {
                assertTrue(Pattern.compile("node " + id + " +" + Pattern.quote(cluster.address(id)) + " +live").matcher(before)
                        .find(), before);
                String role = id.equals(primary) ? "primary" : "backup";
                assertTrue(Pattern.compile("  " + id + " +heap bank: " + role + " ").matcher(before).find(),
                        id + " is shown as " + role + ":\n" + before);
                if (!id.equals(primary)) {
                    assertTrue(before.contains("to " + id + " (in-sync)"), "the primary reports its backup " + id + ":\n"
                            + before);
                }
            }

            cluster.kill(primary);
            String survivor = cluster.ids().stream().filter(id -> !id.equals(primary)).findFirst().orElseThrow();
            String after = awaitStatus(cluster.address(survivor), text -> {
                Matcher now = HEAP.matcher(text);
                return now.find() && !now.group(2).equals(primary) && !now.group(2).equals("-")
                        && Pattern.compile(Pattern.quote(cluster.address(primary)) + " +failed").matcher(text).find();
            });
            System.out.println("status after killing " + primary + ":\n" + after);
        }
    }

    /** Runs the command until its output satisfies {@code wanted}, for at most 60 s; returns that output. */
    private static String awaitStatus(String address, Predicate<String> wanted) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String text = "";
        while (System.nanoTime() < deadline) {
            StatusCommand command = new StatusCommand();
            command.address = address;
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            command.out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
            try {
                command.call();
                text = bytes.toString(StandardCharsets.UTF_8);
                if (wanted.test(text)) {
                    return text;
                }
            } catch (IOException notYet) {
                text = notYet.toString();
            }
            Thread.sleep(250);
        }
        return fail("the status never showed what was expected; last:\n" + text);
    }
}
