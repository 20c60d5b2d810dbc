package dev.hotpot.object;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;

/**
 * The identity map: at most one live handle per object address in this JVM, so {@code ==} works
 * on persistent objects as on plain ones. Handles are held weakly; a collected handle's entry is
 * dropped the next time the map changes.
 *
 * <p>Every reference read looks a handle up, so a lookup takes no lock and allocates nothing: it
 * probes an open-addressing table of weak references keyed by the primitive address, which a
 * reference carries itself. Changes take the map's lock.
 *
 * <p>Invariants: the table's length is a power of two and at most half of its slots are taken
 * (by live or collected handles), so every probe ends at an empty slot; an entry sits at its
 * address's home slot or after it with no empty slot in between (a removal shifts later entries
 * back); a table is never changed once a larger one has replaced it.
 *
 * <p>Threading: safe from any thread. A lookup that races with a change may miss an entry the
 * change is moving or that a growth is copying, and then answers null: callers take the locked
 * path ({@link #intern}), which finds it. A lookup never answers a handle that the map did not
 * hold for that address at some moment during the lookup. When two threads make a handle for the
 * same address at the same time, both get the one that was published first.
 */
final class Handles {
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(HandleReference[].class);
    private static final int INITIAL_CAPACITY = 64;

    private final ReferenceQueue<Object> collected = new ReferenceQueue<>();
    private volatile HandleReference[] table = new HandleReference[INITIAL_CAPACITY];
    /** Taken slots of {@link #table}; guarded by {@code this}. */
    private int size;

    private static final class HandleReference extends WeakReference<Object> {
        final long address;

        HandleReference(Object handle, long address, ReferenceQueue<Object> queue) {
            super(handle, queue);
            this.address = address;
        }
    }

    /** The live handle of {@code address}, or null (also, rarely, while a change moves its entry). */
    Object get(long address) {
        HandleReference[] slots = table;
        int mask = slots.length - 1;
        for (int i = home(address, mask); ; i = (i + 1) & mask) {
            HandleReference reference = (HandleReference) SLOT.getVolatile(slots, i);
            if (reference == null) {
                return null;
            }
            if (reference.address == address) {
                // A table grown out of during the probe may still hold an entry its successor dropped.
                return table == slots ? reference.get() : null;
            }
        }
    }

    /** Publishes {@code handle} for {@code address} unless a live one exists; returns the one that wins. */
    synchronized Object intern(long address, Object handle) {
        expungeCollected();
        int slot = slotOf(address);
        if (slot >= 0) {
            Object live = table[slot].get();
            if (live != null) {
                return live;
            }
        }
        put(slot, address, handle);
        return handle;
    }

    /** Makes {@code handle} the handle of {@code address}, whatever was there (a new object's block). */
    synchronized void replace(long address, Object handle) {
        expungeCollected();
        put(slotOf(address), address, handle);
    }

    /** Forgets whatever handle {@code address} has (its block was freed). */
    synchronized void remove(long address) {
        int slot = slotOf(address);
        if (slot >= 0) {
            delete(slot);
        }
    }

    /** The slot holding {@code address}, or {@code -(empty slot where it would go) - 1}; call under the lock. */
    private int slotOf(long address) {
        HandleReference[] slots = table;
        int mask = slots.length - 1;
        for (int i = home(address, mask); ; i = (i + 1) & mask) {
            HandleReference reference = slots[i];
            if (reference == null) {
                return -i - 1;
            }
            if (reference.address == address) {
                return i;
            }
        }
    }

    /** Stores a reference to {@code handle} at {@code slot}, a result of {@link #slotOf}; call under the lock. */
    private void put(int slot, long address, Object handle) {
        HandleReference fresh = new HandleReference(handle, address, collected);
        if (slot >= 0) {
            SLOT.setVolatile(table, slot, fresh);
            return;
        }
        if (2 * (size + 1) > table.length) {
            grow();
            slot = slotOf(address);
        }
        SLOT.setVolatile(table, -slot - 1, fresh);
        size++;
    }

    /** Empties {@code slot} and moves back the entries after it that it would cut off from their home; under the lock. */
    private void delete(int slot) {
        HandleReference[] slots = table;
        int mask = slots.length - 1;
        int hole = slot;
        for (int i = (hole + 1) & mask; slots[i] != null; i = (i + 1) & mask) {
            int home = home(slots[i].address, mask);
            // The entry may fill the hole unless its home lies cyclically after the hole, up to its slot.
            if (((i - home) & mask) >= ((i - hole) & mask)) {
                // Written to the hole before it leaves its slot, so most lookups racing the move still find it.
                SLOT.setVolatile(slots, hole, slots[i]);
                hole = i;
            }
        }
        SLOT.setVolatile(slots, hole, null);
        size--;
    }

    /** Replaces the table with one twice as large; lookups still probing the old one answer null. */
    private void grow() {
        HandleReference[] old = table;
        HandleReference[] bigger = new HandleReference[old.length * 2];
        int mask = bigger.length - 1;
        for (HandleReference reference : old) {
            if (reference != null) {
                int i = home(reference.address, mask);
                while (bigger[i] != null) {
                    i = (i + 1) & mask;
                }
                bigger[i] = reference;
            }
        }
        table = bigger;
    }

    /** Drops the entries of collected handles that still hold their slot; call under the lock. */
    private void expungeCollected() {
        for (var r = collected.poll(); r != null; r = collected.poll()) {
            HandleReference dead = (HandleReference) r;
            int slot = slotOf(dead.address);
            if (slot >= 0 && table[slot] == dead) {
                delete(slot);
            }
        }
    }

    /**
     * The slot an address probes first. Block addresses are multiples of 8, so the high half of a
     * Fibonacci product, which every address bit reaches, picks it.
     */
    private static int home(long address, int mask) {
        return (int) ((address * 0x9E3779B97F4A7C15L) >>> 32) & mask;
    }
}
