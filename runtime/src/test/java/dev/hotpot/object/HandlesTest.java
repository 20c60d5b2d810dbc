package dev.hotpot.object;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

class HandlesTest {
    private static final long PAGE = 4096;

    @Test
    void theFirstHandleInternedForAnAddressWinsUntilItIsRemovedOrReplaced() {
        Handles handles = new Handles();
        Object first = new Object();
        assertSame(first, handles.intern(PAGE, first));
        assertSame(first, handles.intern(PAGE, new Object()));
        assertSame(first, handles.get(PAGE));

        Object fresh = new Object();
        handles.replace(PAGE, fresh);
        assertSame(fresh, handles.get(PAGE));

        handles.remove(PAGE);
        assertNull(handles.get(PAGE));
        Object after = new Object();
        assertSame(after, handles.intern(PAGE, after));
    }

    @Test
    void randomChangesOfManyAddressesAgreeWithAPlainMapAcrossGrowthAndRemovals() {
        Handles handles = new Handles();
        Map<Long, Object> expected = new HashMap<>();
        Random random = new Random(7);
        for (int step = 0; step < 200_000; step++) {
            // Few distinct addresses, so removals shift entries out of long probe runs.
            long address = PAGE + 8L * random.nextInt(5_000);
            switch (random.nextInt(3)) {
                case 0 -> {
                    Object handle = new Object();
                    Object won = handles.intern(address, handle);
                    assertSame(expected.computeIfAbsent(address, a -> handle), won);
                }
                case 1 -> {
                    Object handle = new Object();
                    handles.replace(address, handle);
                    expected.put(address, handle);
                }
                default -> {
                    handles.remove(address);
                    expected.remove(address);
                }
            }
        }
        for (long address = PAGE; address < PAGE + 8L * 5_000; address += 8) {
            assertSame(expected.get(address), handles.get(address), "address=" + address);
        }
    }

    @Test
    void aCollectedHandleIsReplacedByTheNextOneInterned() throws InterruptedException {
        Handles handles = new Handles();
        handles.intern(PAGE, new Object());
        for (int attempt = 0; attempt < 50 && handles.get(PAGE) != null; attempt++) {
            System.gc();
            Thread.sleep(10);
        }
        assertNull(handles.get(PAGE), "the only handle was collected");
        Object fresh = new Object();
        assertSame(fresh, handles.intern(PAGE, fresh));
        assertSame(fresh, handles.get(PAGE));
    }

    @Test
    void lookupsRacingChangesOfOtherAddressesFindEveryLiveHandleOrNothing() throws Exception {
        Handles handles = new Handles();
        List<Object> kept = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            Object handle = new Object();
            kept.add(handle);
            handles.intern(addressOfKept(i), handle);
        }
        AtomicReference<String> wrong = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            while (done.getCount() > 0) {
                for (int i = 0; i < kept.size(); i++) {
                    Object found = handles.get(addressOfKept(i));
                    if (found != null && found != kept.get(i)) {
                        wrong.set("address=" + addressOfKept(i) + " answered another address's handle");
                    }
                }
            }
        });
        reader.start();
        Random random = new Random(11);
        for (int step = 0; step < 100_000; step++) {
            long address = PAGE + 16L * random.nextInt(20_000) + 8;
            if (random.nextBoolean()) {
                handles.intern(address, new Object());
            } else {
                handles.remove(address);
            }
        }
        done.countDown();
        reader.join();
        assertNull(wrong.get());
        for (int i = 0; i < kept.size(); i++) {
            assertSame(kept.get(i), handles.intern(addressOfKept(i), new Object()));
        }
    }

    /** Kept handles sit at multiples of 16, churned ones in between, so the two never share an address. */
    private static long addressOfKept(int i) {
        return PAGE + 16L * i;
    }
}
