package dev.hotpot.it;

import dev.hotpot.Hotpot;
import dev.hotpot.TransactionConflictException;
import dev.hotpot.it.model.Account;
import dev.hotpot.it.model.Everything;
import dev.hotpot.it.support.AgentHeap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/** {@code @Transactional} methods: commit, rollback and rethrow, flattening, conflict re-runs. */
class TransactionalIT {
    @BeforeAll
    static void heap() {
        AgentHeap.ensureOpen();
    }

    @Test
    void transactionalMethodsOfEveryShapeCommit() {
        Account a = new Account("a", 100);
        Account b = new Account("b", 0);
        assertEquals(70, Account.transfer(a, b, 30));
        assertEquals(30, b.balance);
        assertEquals(1, a.version);
        assertEquals(84.0, a.interest(0.1, 2, 'F', true), 1e-9, "double/int/char/boolean arguments and a double result");
        assertEquals(84.0, a.interest(0.1, 2, 'X', false), 1e-9);
    }

    @Test
    void anExceptionRollsBackEveryWriteAndIsRethrownUnchanged() {
        Account a = new Account("a", 10);
        Account b = new Account("b", 0);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Account.transfer(a, b, 11));
        assertTrue(e.getMessage().contains("insufficient funds"));
        assertEquals(10, a.balance);
        assertEquals(0, b.balance);
        assertEquals(0, a.version);
        IOException checked = assertThrows(IOException.class, () -> a.depositThenFail(5));
        assertEquals("disk said no", checked.getMessage());
        assertEquals(10, a.balance, "a checked exception rolls back too");
    }

    @Test
    void objectsAllocatedInARolledBackTransactionAreGone() {
        Everything holder = new Everything();
        assertThrows(IllegalStateException.class, () -> Hotpot.transaction(() -> {
            Everything created = new Everything();
            created.text = "never committed";
            holder.next = created;
            throw new IllegalStateException("abort");
        }));
        assertNull(holder.next);
        Everything reused = new Everything();
        reused.l = 9;
        holder.next = reused;
        assertSame(reused, holder.next, "the address freed by rollback serves a new object and a fresh handle");
        assertEquals(9, holder.next.l);
    }

    @Test
    void nestedTransactionalCallsFlattenIntoTheOutermost() {
        Account a = new Account("a", 100);
        Account b = new Account("b", 0);
        assertThrows(IllegalArgumentException.class, () -> Hotpot.transaction(() -> {
            Account.transfer(a, b, 40);
            assertTrue(Hotpot.inTransaction());
            throw new IllegalArgumentException("outer fails after the inner call returned");
        }));
        assertEquals(100, a.balance, "the inner transfer belonged to the outer transaction");
        assertEquals(0, b.balance);
    }

    @Test
    void conflictingTransactionsRerunAndEveryIncrementCounts() throws Exception {
        Everything counter = new Everything();
        int threads = 4;
        int perThread = 300;
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        Hotpot.transaction(() -> {
                            runs.incrementAndGet();
                            long seen = counter.l;
                            Thread.onSpinWait();
                            counter.l = seen + 1;
                        });
                    }
                } catch (Throwable e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            }));
        }
        start.countDown();
        for (Thread worker : workers) {
            worker.join(120_000);
        }
        assertEquals(List.of(), failures);
        assertEquals((long) threads * perThread, counter.l, "no lost update");
        assertTrue(runs.get() >= threads * perThread, "bodies ran at least once each: " + runs.get());
    }

    @Test
    void aTransactionThatKeepsConflictingGivesUpWithAConflictException() throws Exception {
        Everything contended = new Everything();
        Everything other = new Everything();
        AtomicInteger attempts = new AtomicInteger();
        // Each attempt reads the field, then another thread commits a change to it first.
        TransactionConflictException e = assertThrows(TransactionConflictException.class,
                () -> Hotpot.transaction(() -> {
                    attempts.incrementAndGet();
                    int seen = contended.i;
                    Thread competitor = Thread.ofPlatform().start(() -> contended.i = seen + 1);
                    try {
                        competitor.join();
                    } catch (InterruptedException interrupted) {
                        throw new IllegalStateException(interrupted);
                    }
                    other.i = seen;
                }));
        assertTrue(e.getMessage().contains("maxAttempts"), e.getMessage());
        assertTrue(attempts.get() > 1, "the body was re-run before giving up: " + attempts.get());
        assertEquals(attempts.get(), contended.i, "every competing commit went through");
        assertEquals(0, other.i, "no attempt of the conflicting transaction committed");
    }
}
