package dev.hotpot.coordinator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** Long polls on the applied state: answered by a newer state, by the deadline, or at close. */
class AppliedStateTest {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final AppliedState applied = new AppliedState(timer);

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    private static ClusterState version(long version) {
        return new ClusterState("id", version, 1, new TreeMap<>(), new TreeMap<>());
    }

    @Test
    void aWaiterGetsTheFirstNewerState() throws Exception {
        applied.set(version(3));
        CompletableFuture<ClusterState> waiting = applied.awaitChange(3, Duration.ofMinutes(1));
        assertFalse(waiting.isDone());
        applied.set(version(4));
        assertEquals(4, waiting.get(10, TimeUnit.SECONDS).version());
        assertEquals(4, applied.awaitChange(3, Duration.ofMinutes(1)).getNow(null).version(),
                "a state already newer answers at once");
    }

    @Test
    void aWaiterGetsTheCurrentStateAtItsDeadline() throws Exception {
        applied.set(version(3));
        long start = System.nanoTime();
        ClusterState state = applied.awaitChange(3, Duration.ofMillis(50)).get(10, TimeUnit.SECONDS);
        assertEquals(3, state.version());
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(50));
        assertEquals(3, applied.awaitChange(3, Duration.ZERO).getNow(null).version());
    }

    @Test
    void closingAnswersEveryWaiter() throws Exception {
        applied.set(version(3));
        CompletableFuture<ClusterState> waiting = applied.awaitChange(3, Duration.ofMinutes(1));
        applied.close();
        assertEquals(3, waiting.get(10, TimeUnit.SECONDS).version());
    }
}
