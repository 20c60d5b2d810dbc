package dev.hotpot.cluster;

import dev.hotpot.heap.Heap;
import dev.hotpot.testing.ChildJvm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * What the test nodes ({@link BankNode}, {@link ListNode}) share: a main that makes a failure
 * visible, set-up transactions repeated while their outcome is unknown, and the end of a run
 * through the control files ({@code stop} ends the work; {@code collect}, once every node
 * stopped, makes each run the barrier and write its state; {@code exit} ends the JVM).
 */
final class NodeMain {
    /** The body of a test node's main. */
    interface Body {
        void run(String[] args) throws Exception;
    }

    private NodeMain() {
    }

    /** Runs {@code body}; a failure ends the JVM with status 1 (the cluster's threads would keep it alive). */
    static void run(String[] args, Body body) {
        ChildJvm.selfDestructAfter(Duration.ofMinutes(10));
        try {
            body.run(args);
        } catch (Throwable failure) {
            failure.printStackTrace(System.out);
            System.exit(1);
        }
    }

    /** Runs a set-up transaction, safe to repeat, until its outcome is known (at most 10 times). */
    static long setUp(Heap heap, Supplier<Long> body) {
        for (int attempt = 1; ; attempt++) {
            try {
                return heap.transaction(body);
            } catch (CommitOutcomeUnknownException | ClusterUnavailableException e) {
                if (attempt == 10) {
                    throw e;
                }
            }
        }
    }

    /**
     * Prints {@code STOPPED}, waits for {@code collect}, runs the barrier, writes the page hash and
     * {@code state} (read in a transaction) to {@code state-<node>.txt}, prints {@code STATE} and
     * waits for {@code exit}.
     */
    static void finish(Heap heap, Path control, String node, Supplier<String> state) throws Exception {
        System.out.println("STOPPED " + node);
        await(control.resolve("collect"));
        heap.sync();
        String hash = "hash " + PageHash.of(heap) + "\n";
        Files.writeString(control.resolve("state-" + node + ".txt"), hash + heap.transaction(state));
        System.out.println("STATE " + node);
        await(control.resolve("exit"));
    }

    static void await(Path file) throws InterruptedException {
        while (!Files.exists(file)) {
            Thread.sleep(20);
        }
    }
}
