package dev.hotpot.object;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The identity map: at most one live handle per object address in this JVM, so {@code ==} works
 * on persistent objects as on plain ones. Handles are held weakly; a collected handle's entry is
 * dropped the next time the map changes.
 *
 * <p>Threading: safe from any thread. When two threads make a handle for the same address at the
 * same time, both get the one that was published first.
 */
final class Handles {
    private final ConcurrentHashMap<Long, HandleReference> byAddress = new ConcurrentHashMap<>();
    private final ReferenceQueue<Object> collected = new ReferenceQueue<>();

    private static final class HandleReference extends WeakReference<Object> {
        final long address;

        HandleReference(Object handle, long address, ReferenceQueue<Object> queue) {
            super(handle, queue);
            this.address = address;
        }
    }

    /** The live handle of {@code address}, or null. */
    Object get(long address) {
        HandleReference reference = byAddress.get(address);
        return reference == null ? null : reference.get();
    }

    /** Publishes {@code handle} for {@code address} unless a live one exists; returns the one that wins. */
    Object intern(long address, Object handle) {
        expungeCollected();
        HandleReference fresh = new HandleReference(handle, address, collected);
        while (true) {
            HandleReference existing = byAddress.putIfAbsent(address, fresh);
            if (existing == null) {
                return handle;
            }
            Object live = existing.get();
            if (live != null) {
                return live;
            }
            if (byAddress.replace(address, existing, fresh)) {
                return handle;
            }
        }
    }

    /** Makes {@code handle} the handle of {@code address}, whatever was there (a new object's block). */
    void replace(long address, Object handle) {
        expungeCollected();
        byAddress.put(address, new HandleReference(handle, address, collected));
    }

    /** Forgets whatever handle {@code address} has (its block was freed). */
    void remove(long address) {
        byAddress.remove(address);
    }

    private void expungeCollected() {
        for (var r = collected.poll(); r != null; r = collected.poll()) {
            HandleReference dead = (HandleReference) r;
            byAddress.remove(dead.address, dead);
        }
    }
}
