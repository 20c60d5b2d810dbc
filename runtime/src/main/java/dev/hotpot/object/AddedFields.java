package dev.hotpot.object;

import dev.hotpot.heap.Heap;
import dev.hotpot.heap.Superblock;

import java.util.Map;

/**
 * Fields a class gained after some of its objects were stored. Such an object keeps its block
 * and its address (so references, handles and identity are untouched); the fields its layout
 * version lacks live in an extension block, made on the first store to one of them and found
 * through the heap's extension table (address of the object → address of its extension). Until
 * then they read as their default value. An extension block has the size of the layout current
 * when it was made (later class versions grow it) and holds each added field at the field's own
 * offset; the strings it points to belong to it.
 *
 * <pre>
 * superblock EXTENSIONS: address of a persistent Map&lt;Long, Long&gt;, or 0 when no object has one
 * </pre>
 * The map is made by the {@link AddressMapFactory} the object space was given (a PersistentMap
 * of the runtime's collections).
 *
 * <p>Threading: safe from any thread; every method runs in (or joins) a transaction.
 */
final class AddedFields {
    private final Heap heap;
    private final ObjectSpace objects;
    private final AddressMapFactory tables;

    AddedFields(Heap heap, ObjectSpace objects, AddressMapFactory tables) {
        this.heap = heap;
        this.objects = objects;
        this.tables = tables;
    }

    /**
     * Where field {@code offset} of {@code object}, which its own block lacks, lives: in its
     * extension block. An extension made under an earlier class version may be too small for
     * fields added since; a store then moves it to a block of the current size.
     *
     * @return the address, or 0 when the field was never stored and {@code forWrite} is false
     */
    long address(PersistentObject object, long offset, boolean forWrite) {
        long address = object.hotpot$address;
        return heap.transaction(() -> {
            Map<Long, Long> table = table(forWrite);
            Long extension = table == null ? null : table.get(address);
            // Fields are naturally aligned and blocks are multiples of 8: a field that starts inside fits inside.
            if (extension != null && offset < heap.usableSize(extension)) {
                return extension + offset;
            }
            if (!forWrite) {
                return 0L;
            }
            TypeBinding binding = objects.binding(object.getClass());
            objects.classIdFor(binding);
            long grown = heap.allocate(binding.layout.size());
            if (extension != null) {
                long kept = heap.usableSize(extension);
                heap.putBytes(grown, heap.getBytes(extension, (int) kept));
                heap.free(extension);
            }
            table.put(address, grown);
            return grown + offset;
        });
    }

    /** Frees the extension block of the object at {@code address}, if it has one. */
    void free(long address) {
        heap.transaction(() -> {
            Map<Long, Long> table = table(false);
            Long extension = table == null ? null : table.remove(address);
            if (extension != null) {
                heap.free(extension);
            }
        });
    }

    @SuppressWarnings("unchecked")
    private Map<Long, Long> table(boolean create) {
        long address = heap.getLong(Superblock.EXTENSIONS);
        if (address != 0) {
            return (Map<Long, Long>) objects.handle(address, Map.class);
        }
        if (!create) {
            return null;
        }
        Map<Long, Long> table = tables.newMap();
        heap.putLong(Superblock.EXTENSIONS, objects.addressOf(table));
        return table;
    }
}
