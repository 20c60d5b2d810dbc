package dev.hotpot.heap;

/**
 * A list of heap blocks linked through their first word, from a head word in the superblock: the
 * roots and the schema entries. An entry is a fixed part, then bytes whose count a field of the
 * fixed part holds. Offline checks walk such lists through this description.
 *
 * <p>Threading: implementations are stateless.
 */
public interface EntryList {
    /** What an entry is, for reports ("root entry"). */
    String what();

    /** The address of the superblock word that holds the first entry's address, or 0. */
    long head();

    /** Bytes of an entry's fixed part, the link at offset 0 included. */
    int fixedBytes();

    /** Bytes the entry at {@code entry} occupies, as its fixed part (known to be readable) says; negative if it is not valid. */
    long storedBytes(HeapReader heap, long entry);
}
