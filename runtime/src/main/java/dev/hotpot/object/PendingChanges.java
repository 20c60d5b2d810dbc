package dev.hotpot.object;

import dev.hotpot.heap.Heap;

import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the calling thread's open transaction changed about the objects this JVM knows: handles
 * of objects it allocated or freed, and class ids it registered. The transaction sees its own
 * changes at once; other threads see them only when it commits, and before its pages unlock,
 * so no thread can read a committed object's bytes and still find a stale handle. A rollback
 * drops them.
 *
 * <p>Threading: each thread has its own state, for its own transaction.
 */
final class PendingChanges {
    /** Marks an address whose object this transaction freed. */
    private static final Object FREED = new Object();

    private static final class State {
        final Map<Long, Object> handles = new LinkedHashMap<>();
        final Map<TypeBinding, Integer> classIds = new IdentityHashMap<>();
    }

    private final Heap heap;
    private final ObjectSpace objects;
    private final Handles published;
    private final ThreadLocal<State> current = new ThreadLocal<>();

    PendingChanges(Heap heap, ObjectSpace objects, Handles published) {
        this.heap = heap;
        this.objects = objects;
        this.published = published;
    }

    /** Records a handle of an object allocated by the open transaction. */
    void allocated(long address, Object handle) {
        state().handles.put(address, handle);
    }

    /** Records that the open transaction freed the object at {@code address}. */
    void freed(long address) {
        state().handles.put(address, FREED);
    }

    void registered(TypeBinding binding, int classId) {
        state().classIds.put(binding, classId);
    }

    /** The class id the open transaction registered for {@code binding}, or null. */
    Integer classId(TypeBinding binding) {
        State state = current.get();
        return state == null ? null : state.classIds.get(binding);
    }

    /**
     * The handle at {@code address} as the calling thread's transaction sees it: one it made, one
     * published, or null when there is none (or the transaction freed it).
     */
    Object handle(long address) {
        State state = current.get();
        Object mine = state == null ? null : state.handles.get(address);
        if (mine != null) {
            return mine == FREED ? null : mine;
        }
        return published.get(address);
    }

    private State state() {
        State state = current.get();
        if (state == null) {
            State fresh = new State();
            current.set(fresh);
            heap.beforeUnlock(() -> publish(fresh));
            // Before commit or rollback actions, which may run transactions of their own.
            heap.onFinish(current::remove);
            state = fresh;
        }
        return state;
    }

    private void publish(State state) {
        state.handles.forEach((address, handle) -> {
            if (handle == FREED) {
                // The block is free once this commits: any handle for it is stale, whichever object it was made for.
                published.remove(address);
            } else {
                published.replace(address, handle);
            }
        });
        state.classIds.forEach(objects::publish);
    }
}
