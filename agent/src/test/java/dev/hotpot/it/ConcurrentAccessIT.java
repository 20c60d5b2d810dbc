package dev.hotpot.it;

import dev.hotpot.Hotpot;
import dev.hotpot.it.model.Everything;
import dev.hotpot.it.model.FirstUseA;
import dev.hotpot.it.model.FirstUseB;
import dev.hotpot.it.model.hidden.PublicSub;
import dev.hotpot.it.support.AgentHeap;
import dev.hotpot.it.support.HeldTransaction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/** Identity, class initialization and reads outside transactions while other threads write. */
class ConcurrentAccessIT {
    @BeforeAll
    static void heap() {
        AgentHeap.ensureOpen();
    }

    @Test
    void aClassFirstUsedInsideATransactionInitializesWhileAnotherThreadHoldsTheSchema() throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (HeldTransaction schemaHolder = HeldTransaction.start(() -> new FirstUseA().value = 1)) {
            Thread user = Thread.ofPlatform().start(() -> {
                try {
                    Hotpot.transaction(() -> new FirstUseB().value = 2);
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            Thread.sleep(100);
            schemaHolder.close();
            user.join();
        }
        assertNull(failure.get(), () -> "first use inside a transaction failed: " + failure.get());
        FirstUseB b = new FirstUseB();
        b.value = 3;
        assertEquals(3, b.value, "the class initialized once and for all");
    }

    @Test
    void aRollbackKeepsTheIdentityOfCommittedObjects() {
        Everything holder = new Everything();
        holder.next = new Everything();
        Everything[] seen = new Everything[1];
        assertThrows(IllegalStateException.class, () -> Hotpot.transaction(() -> {
            seen[0] = holder.next;
            throw new IllegalStateException("roll back after reading");
        }));
        assertSame(seen[0], holder.next);
    }

    @Test
    void freeingAndAllocatingInOneTransactionKeepsHandlesRight() {
        Everything holder = new Everything();
        Everything old = new Everything();
        holder.next = old;
        Everything made = Hotpot.transaction(() -> {
            Hotpot.free(holder.next);
            Everything fresh = new Everything();
            fresh.l = 11;
            holder.next = fresh;
            return fresh;
        });
        assertSame(made, holder.next, "the new object's handle, even when it reuses the freed block");
        assertEquals(11, holder.next.l);
    }

    @Test
    void otherThreadsNeverSeeTheIdentityChangesOfATransactionThatRollsBack() throws Exception {
        Everything holder = new Everything();
        Everything original = new Everything();
        holder.next = original;
        AtomicBoolean stop = new AtomicBoolean();
        Thread changer = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < 3_000 && !stop.get(); i++) {
                try {
                    Hotpot.transaction(() -> {
                        Hotpot.free(original);
                        new Everything().text = "in the freed block, maybe";
                        throw new IllegalStateException("roll back");
                    });
                } catch (IllegalStateException expected) {
                    // never commits
                }
            }
            stop.set(true);
        });
        long reads = 0;
        long mismatches = 0;
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!stop.get() && System.nanoTime() < deadline) {
            if (holder.next != original) {
                mismatches++;
            }
            reads++;
        }
        stop.set(true);
        changer.join();
        assertEquals(0, mismatches, "reads of the committed reference that found another handle, of " + reads);
        original.l = 3;
        assertEquals(3, holder.next.l, "the rolled-back frees left the object alive");
    }

    @Test
    void aReferenceReadNeverReturnsAnObjectTheFieldDidNotHoldEvenWhenBlocksAreReused() throws Exception {
        Everything root = new Everything();
        Everything side = new Everything();
        root.next = new Everything();
        java.util.Set<Object> neverInNext = java.util.concurrent.ConcurrentHashMap.newKeySet();
        AtomicBoolean stop = new AtomicBoolean();
        Thread changer = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < 5_000 && !stop.get(); i++) {
                Hotpot.transaction(() -> {
                    Everything old = root.next;
                    root.next = null;
                    Hotpot.free(old);
                    Everything elsewhere = new Everything();
                    neverInNext.add(elsewhere);
                    side.next = elsewhere;
                });
                Hotpot.transaction(() -> {
                    Everything elsewhere = side.next;
                    side.next = null;
                    Hotpot.free(elsewhere);
                    root.next = new Everything();
                });
            }
            stop.set(true);
        });
        long wrong = 0;
        long reads = 0;
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!stop.get() && System.nanoTime() < deadline) {
            Everything seen = root.next;
            reads++;
            if (seen != null && neverInNext.contains(seen)) {
                wrong++;
            }
        }
        stop.set(true);
        changer.join();
        assertEquals(0, wrong, "reads of root.next that returned an object only ever stored elsewhere, of " + reads);
    }

    @Test
    void transactionsRunByCommitAndRollbackActionsKeepTheirOwnIdentityChanges() {
        Everything root = new Everything();
        Everything[] made = new Everything[2];
        Hotpot.transaction(() -> {
            new Everything();
            Hotpot.heap().afterCommit(() -> made[0] = Hotpot.transaction(() -> root.next = new Everything()));
        });
        assertSame(made[0], root.next, "an object made by a transaction run after a commit");
        assertThrows(IllegalStateException.class, () -> Hotpot.transaction(() -> {
            new Everything();
            Hotpot.heap().onRollback(() -> made[1] = Hotpot.transaction(() -> root.next = new Everything()));
            throw new IllegalStateException("roll back");
        }));
        assertSame(made[1], root.next, "an object made by a transaction run after a rollback");
    }

    @Test
    void aStringReadOutsideATransactionIsAlwaysACommittedValue() throws Exception {
        Everything target = new Everything();
        String first = "first value 0123";
        String second = "second value 456";
        target.text = first;
        AtomicBoolean stop = new AtomicBoolean();
        Thread writer = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < 20_000 && !stop.get(); i++) {
                target.text = i % 2 == 0 ? second : first;
            }
            stop.set(true);
        });
        List<String> wrong = new ArrayList<>();
        long reads = 0;
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!stop.get() && System.nanoTime() < deadline) {
            String seen = target.text;
            reads++;
            if (!first.equals(seen) && !second.equals(seen) && wrong.size() < 5) {
                wrong.add(seen);
            }
        }
        stop.set(true);
        writer.join();
        assertEquals(List.of(), wrong, "values that were never committed, in " + reads + " reads");
        assertTrue(reads > 0);
    }

    @Test
    void aPublicFieldOfAPackagePrivateSuperclassThroughAPublicSubclass() {
        PublicSub sub = new PublicSub();
        sub.shared = 5;
        sub.shared += 2;
        sub.own = 1;
        assertEquals(7, sub.shared);
        assertEquals(1, sub.own);
    }
}
