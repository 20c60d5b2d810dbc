package dev.hotpot.collections;

import dev.hotpot.object.PersistentObject;
import dev.hotpot.object.ValueSlots;

/**
 * Which values the persistent collections hold: exactly the kinds a value slot stores. Collections
 * check a value before they change anything, so a refused value leaves the collection as it was
 * even when the caller catches the exception and commits its transaction.
 *
 * <p>Threading: stateless.
 */
final class Storable {
    private Storable() {
    }

    /**
     * Returns {@code value} if a collection can hold it.
     *
     * @param role  what the value is for, such as "key" or "element"
     * @param owner the collection, named in the message
     * @throws IllegalArgumentException if it cannot
     */
    static <T> T require(T value, String role, PersistentObject owner) {
        if (!ValueSlots.isStorable(value)) {
            throw new IllegalArgumentException("cannot store a " + role + " of class=" + value.getClass().getName()
                    + " in " + owner.getClass().getSimpleName() + " at address=" + owner.hotpot$address
                    + "; store null, a String, a boxed primitive, an enum, a @Persistent object or a dev.hotpot.collections"
                    + " persistent collection (copy a java.util collection into a PersistentList or PersistentMap)");
        }
        return value;
    }

    /** A value read from a slot as the type its collection declares; unchecked, since slots do not keep it. */
    @SuppressWarnings("unchecked")
    static <T> T cast(Object stored) {
        return (T) stored;
    }
}
