package dev.hotpot.heap;

/**
 * Loads from a heap's address space, for code that only reads it: the live {@link Heap} (inside a
 * transaction, or one committed value per load outside one) and a heap's files seen offline
 * ({@link HeapImage}). Addresses are byte offsets; a load outside {@code [Pages.SIZE, size())}
 * throws {@link IllegalArgumentException}.
 *
 * <p>Threading: as the implementation says.
 */
public interface HeapReader {
    /** The heap's name, for messages. */
    String name();

    /** Bytes of the address space. */
    long size();

    byte getByte(long address);

    int getInt(long address);

    long getLong(long address);

    byte[] getBytes(long address, int length);
}
