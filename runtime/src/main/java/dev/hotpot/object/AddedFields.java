package dev.hotpot.object;

import dev.hotpot.PersistentMap;
import dev.hotpot.heap.Heap;
import dev.hotpot.heap.Superblock;

/**
 * Fields a class gained after some of its objects were stored. Such an object keeps its block
 * and its address (so references, handles and identity are untouched); the fields its layout
 * version lacks live in an extension block, made on the first store to one of them and found
 * through the heap's extension table (address of the object → address of its extension). Until
 * then they read as their default value. An extension block has the size of the current layout
 * and holds each added field at the field's own offset.
 *
 * <pre>
 * superblock EXTENSIONS: address of a PersistentMap&lt;Long, Long&gt;, or 0 when no object has one
 * </pre>
 *
 * <p>Threading: safe from any thread; every method runs in (or joins) a transaction.
 */
final class AddedFields {
    private final Heap heap;
    private final ObjectSpace objects;

    AddedFields(Heap heap, ObjectSpace objects) {
        this.heap = heap;
        this.objects = objects;
    }

    /**
     * Where field {@code offset} of {@code object} lives: in its own block when its layout
     * version has the field, else in its extension block, made when {@code forWrite}.
     *
     * @return the address, or 0 when the field is absent and {@code forWrite} is false
     */
    long address(PersistentObject object, long offset, boolean forWrite) {
        long address = object.hotpot$address;
        return heap.transaction(() -> {
            if (objects.inlineSize(address) > offset) {
                return address + offset;
            }
            PersistentMap<Long, Long> table = table(forWrite);
            Long extension = table == null ? null : table.get(address);
            if (extension == null) {
                if (!forWrite) {
                    return 0L;
                }
                TypeBinding binding = objects.binding(object.getClass());
                objects.classIdFor(binding);
                extension = heap.allocate(binding.layout.size());
                table.put(address, extension);
            }
            return extension + offset;
        });
    }

    /** Frees the extension block of the object at {@code address}, if it has one. */
    void free(long address) {
        heap.transaction(() -> {
            PersistentMap<Long, Long> table = table(false);
            Long extension = table == null ? null : table.remove(address);
            if (extension != null) {
                heap.free(extension);
            }
        });
    }

    @SuppressWarnings("unchecked")
    private PersistentMap<Long, Long> table(boolean create) {
        long address = heap.getLong(Superblock.EXTENSIONS);
        if (address != 0) {
            return ObjectRuntime.handle(address, PersistentMap.class);
        }
        if (!create) {
            return null;
        }
        PersistentMap<Long, Long> table = new PersistentMap<>();
        heap.putLong(Superblock.EXTENSIONS, table.hotpot$address);
        return table;
    }
}
