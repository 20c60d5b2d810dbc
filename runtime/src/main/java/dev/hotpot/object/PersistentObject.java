package dev.hotpot.object;

/**
 * The superclass the agent gives every {@code @Persistent} class whose declared superclass is
 * {@code Object}, and that the runtime's collections extend. An instance is a handle: its
 * persistent fields live in the heap at {@link #hotpot$address}.
 *
 * <p>Invariants: the address never changes; at most one handle per address exists in a JVM
 * (see {@link Handles}), so {@code ==} on handles is identity of persistent objects.
 *
 * <p>Threading: the handle is immutable; its fields are read and written through transactions.
 */
public abstract class PersistentObject {
    /** Address of this object in the heap; read by generated field accessors. */
    public final long hotpot$address;
    /**
     * Bytes of the object that its own block holds: the size of the layout version it was stored
     * with. Fields beyond it were added to the class later and live in an extension block.
     */
    public final int hotpot$inlineSize;

    /** Allocates a new object of this handle's class in the heap (in the open or its own transaction). */
    protected PersistentObject() {
        this.hotpot$address = ObjectRuntime.allocate(this);
        this.hotpot$inlineSize = ObjectRuntime.objects().layoutSize(getClass());
    }

    /**
     * Refused: a field-by-field copy of a handle would be a second handle of the same object, not
     * a new object. Create a new object and copy the fields instead.
     */
    @Override
    protected Object clone() throws CloneNotSupportedException {
        throw new CloneNotSupportedException("a persistent " + getClass().getName() + " cannot be cloned: the copy"
                + " would share the original's heap object; create a new object and copy its fields");
    }

    /** Makes a handle for the existing object at {@code address}; runs no user code. */
    protected PersistentObject(Materializer token, long address) {
        if (token != Materializer.TOKEN) {
            throw new IllegalArgumentException("handles of existing objects are made by the hotpot runtime only");
        }
        this.hotpot$address = address;
        this.hotpot$inlineSize = ObjectRuntime.objects().inlineSize(address);
    }
}
