package dev.hotpot.heap;

/**
 * A list of heap blocks linked through their first word, from a head word in the superblock: the
 * roots and the schema entries. An entry is a fixed part, then as many bytes as the int at
 * {@code lengthOffset} of the fixed part says. Offline checks walk such lists through this
 * description.
 *
 * @param what         what an entry is, for reports ("root entry")
 * @param head         the address of the superblock word that holds the first entry's address, or 0
 * @param lengthOffset where in an entry the int that counts its variable bytes is
 * @param fixedBytes   bytes of an entry's fixed part, the link at offset 0 included
 * @param maxLength    the most variable bytes an entry may have
 */
public record EntryList(String what, long head, int lengthOffset, int fixedBytes, int maxLength) {

    /** Bytes the entry at {@code entry} occupies, as its fixed part (known to be readable) says; -1 if that is not valid. */
    public long storedBytes(HeapReader heap, long entry) {
        int length = heap.getInt(entry + lengthOffset);
        return length <= 0 || length > maxLength ? -1 : fixedBytes + (long) length;
    }
}
