package dev.hotpot.object;

import dev.hotpot.SchemaMismatchException;
import dev.hotpot.heap.EntryList;
import dev.hotpot.heap.Heap;
import dev.hotpot.heap.HeapReader;
import dev.hotpot.heap.Superblock;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The heap's persistent registry of class layouts. Each registered layout gets a class id that
 * objects store in their header. A class whose layout only gained fields gets a new id (a new
 * layout version) and old objects keep the old one; a class that lost a field or changed a
 * field's type is refused with a message naming the field, so stored data is never reinterpreted.
 *
 * <pre>
 * entry block: long next; int classId; int version; int length; byte[length] layout ({@link ClassLayout})
 * </pre>
 *
 * <p>Ownership: the heap's {@link ObjectSpace} holds the registry its objects use. Another
 * registry over the same heap (a tool that lists the entries) is safe: registration re-reads the
 * stored entries in its transaction, and a snapshot only ever holds committed entries.
 *
 * <p>Threading: safe from any thread; registration runs in (or joins) a transaction. The
 * committed snapshot (read by {@link #committedVersions}) holds only committed entries, which never change; it is
 * loaded by {@link #loadCommitted} and grows after each registering transaction commits, so code
 * that must not touch heap pages (class initialization) can read it.
 */
public final class SchemaRegistry {
    private static final long NEXT = 0;
    private static final long CLASS_ID = 8;
    private static final long VERSION = 12;
    private static final long LENGTH = 16;
    private static final long LAYOUT = 20;

    /** The list of schema entries, for offline checks. */
    public static final EntryList LIST = new EntryList("schema entry", Superblock.SCHEMA_HEAD, (int) LENGTH, (int) LAYOUT,
            Integer.MAX_VALUE);

    /** A stored layout with its id and version (1 for the first layout of a class name). */
    public record Entry(int classId, int version, ClassLayout layout) {
    }

    private final Heap heap;
    private final Map<Integer, Entry> committed = new ConcurrentHashMap<>();

    public SchemaRegistry(Heap heap) {
        this.heap = heap;
    }

    /**
     * Returns the class id for {@code layout}, registering it (as a new version if the class is
     * known with fewer fields) when it is not stored yet.
     *
     * @throws SchemaMismatchException if a stored field of the class is missing or has another type
     */
    public int register(ClassLayout layout) {
        return heap.transaction(() -> {
            List<Entry> stored = readAll();
            for (Entry entry : stored) {
                if (entry.layout().equals(layout)) {
                    return entry.classId();
                }
            }
            Entry latest = newestOf(stored, layout.className());
            if (latest != null) {
                checkCompatible(latest, layout);
            }
            int classId = (int) heap.getLong(Superblock.NEXT_CLASS_ID) + 1;
            heap.putLong(Superblock.NEXT_CLASS_ID, classId);
            byte[] encoded = layout.encode();
            long block = heap.allocate(LAYOUT + encoded.length);
            heap.putInt(block + CLASS_ID, classId);
            int version = latest == null ? 1 : latest.version() + 1;
            heap.putInt(block + VERSION, version);
            heap.putInt(block + LENGTH, encoded.length);
            heap.putBytes(block + LAYOUT, encoded);
            heap.putLong(block + NEXT, heap.getLong(Superblock.SCHEMA_HEAD));
            heap.putLong(Superblock.SCHEMA_HEAD, block);
            Entry entry = new Entry(classId, version, layout);
            heap.afterCommit(() -> committed.put(classId, entry));
            return classId;
        });
    }

    /** The layout stored under {@code classId}, read in (or joining) a transaction. */
    public Entry lookup(int classId) {
        Entry known = committed.get(classId);
        if (known != null) {
            return known;
        }
        for (Entry entry : heap.transaction(this::readAll)) {
            if (entry.classId() == classId) {
                return entry;
            }
        }
        throw new IllegalArgumentException("no class with id=" + classId + " in heap=" + heap.name());
    }

    /** Loads the committed snapshot; call outside any transaction, before the snapshot is read. */
    public void loadCommitted() {
        if (heap.inTransaction()) {
            throw new IllegalStateException("the committed schema is loaded outside transactions");
        }
        for (Entry entry : entries()) {
            committed.putIfAbsent(entry.classId(), entry);
        }
    }

    /** Every committed version of {@code className}, oldest first; reads no heap page. */
    public List<Entry> committedVersions(String className) {
        List<Entry> versions = new ArrayList<>();
        for (Entry entry : committed.values()) {
            if (entry.layout().className().equals(className)) {
                versions.add(entry);
            }
        }
        versions.sort(java.util.Comparator.comparingInt(Entry::version));
        return versions;
    }

    /** The newest stored layout of {@code className}, or null when the heap has none. */
    public Entry latest(String className) {
        return heap.transaction(() -> newestOf(readAll(), className));
    }

    private static Entry newestOf(List<Entry> entries, String className) {
        Entry latest = null;
        for (Entry entry : entries) {
            if (entry.layout().className().equals(className) && (latest == null || entry.version() > latest.version())) {
                latest = entry;
            }
        }
        return latest;
    }

    /** Every stored layout, newest first. */
    public List<Entry> entries() {
        return heap.transaction(this::readAll);
    }

    private List<Entry> readAll() {
        List<Entry> entries = new ArrayList<>();
        for (long block = heap.getLong(Superblock.SCHEMA_HEAD); block != 0; block = heap.getLong(block + NEXT)) {
            entries.add(decode(heap, block));
        }
        return entries;
    }

    /**
     * The entry stored in the block at {@code block}.
     *
     * @throws java.io.UncheckedIOException if its layout bytes are not a layout's encoding
     */
    public static Entry decode(HeapReader heap, long block) {
        byte[] encoded = heap.getBytes(block + LAYOUT, heap.getInt(block + LENGTH));
        return new Entry(heap.getInt(block + CLASS_ID), heap.getInt(block + VERSION), ClassLayout.decode(encoded));
    }

    private static void checkCompatible(Entry stored, ClassLayout proposed) {
        for (FieldLayout old : stored.layout().fields()) {
            FieldLayout now = proposed.field(old.name()).orElse(null);
            if (now == null) {
                throw new SchemaMismatchException("class " + proposed.className() + ": field '" + old.name() + "' ("
                        + old.descriptor() + ") is stored in the heap but no longer declared; layoutVersion="
                        + stored.version() + "; put the field back, or migrate the data to a class with a new name");
            }
            if (!now.descriptor().equals(old.descriptor())) {
                throw new SchemaMismatchException("class " + proposed.className() + ": field '" + old.name()
                        + "' changed type from " + old.descriptor() + " to " + now.descriptor() + "; layoutVersion="
                        + stored.version() + "; keep the stored type, or add a new field with the new type");
            }
        }
    }
}
