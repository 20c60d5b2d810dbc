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
    /** Keyed by {@link #key}: block addresses are multiples of 8, so as plain {@code Long}s they would crowd into a few buckets. */
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
        HandleReference reference = byAddress.get(key(address));
        return reference == null ? null : reference.get();
    }

    /** Publishes {@code handle} for {@code address} unless a live one exists; returns the one that wins. */
    Object intern(long address, Object handle) {
        expungeCollected();
        HandleReference fresh = new HandleReference(handle, address, collected);
        while (true) {
            HandleReference existing = byAddress.putIfAbsent(key(address), fresh);
            if (existing == null) {
                return handle;
            }
            Object live = existing.get();
            if (live != null) {
                return live;
            }
            if (byAddress.replace(key(address), existing, fresh)) {
                return handle;
            }
        }
    }

    /** Makes {@code handle} the handle of {@code address}, whatever was there (a new object's block). */
    void replace(long address, Object handle) {
        expungeCollected();
        byAddress.put(key(address), new HandleReference(handle, address, collected));
    }

    /** Forgets whatever handle {@code address} has (its block was freed). */
    void remove(long address) {
        byAddress.remove(key(address));
    }

    private void expungeCollected() {
        for (var r = collected.poll(); r != null; r = collected.poll()) {
            HandleReference dead = (HandleReference) r;
            byAddress.remove(key(dead.address), dead);
        }
    }

    /** A one-to-one key whose low bits, the ones that pick a bucket, are the address's varying ones. */
    private static Long key(long address) {
        return Long.rotateRight(address, 4);
    }
}
