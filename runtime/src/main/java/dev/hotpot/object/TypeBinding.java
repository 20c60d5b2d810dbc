package dev.hotpot.object;

import java.lang.invoke.MethodHandle;

/**
 * A persistent class of this JVM bound to its layout in the heap.
 *
 * <p>Invariants: {@code layout} never changes; {@code committedClassId} is 0 until a transaction
 * that stored the layout (or found it stored) has committed, then the layout's id forever. A
 * transaction that registers the layout itself uses its own uncommitted id until then, so no
 * other thread can commit an object whose class id might be rolled back.
 *
 * <p>Threading: safe from any thread.
 */
final class TypeBinding {
    final Class<?> type;
    final ClassLayout layout;
    /** Makes a handle for an existing object: {@code (Materializer, long) -> Object}; null for abstract classes. */
    final MethodHandle factory;
    private volatile int committedClassId;

    TypeBinding(Class<?> type, ClassLayout layout, MethodHandle factory, int committedClassId) {
        this.type = type;
        this.layout = layout;
        this.factory = factory;
        this.committedClassId = committedClassId;
    }

    int committedClassId() {
        return committedClassId;
    }

    void publish(int classId) {
        committedClassId = classId;
    }

    Object materialize(long address) {
        try {
            return factory.invoke(Materializer.TOKEN, address);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("making a handle of " + type.getName() + " failed", e);
        }
    }
}
