package dev.hotpot.object;

import java.util.Map;

/**
 * Makes the persistent maps from address to address that the object layer keeps its own tables in
 * (the extension table of {@link AddedFields}). This layer stores and reads such maps but does not
 * implement one: the runtime's collections, which are built on it, do, and whoever opens a heap's
 * {@link ObjectSpace} passes the factory in.
 *
 * <p>Invariant: every map made is a {@link PersistentObject} of a class bound in the same
 * {@link ObjectSpace}, so its address can be stored and read back as a handle.
 *
 * <p>Threading: called from any thread, inside the transaction the map is allocated in.
 */
@FunctionalInterface
public interface AddressMapFactory {
    /** A new, empty map in the heap, allocated in the calling transaction. */
    Map<Long, Long> newMap();
}
