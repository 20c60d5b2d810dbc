package dev.hotpot.offline;

import dev.hotpot.collections.CollectionBlocks;
import dev.hotpot.collections.CollectionVisitor;
import dev.hotpot.heap.BlockFormat;
import dev.hotpot.heap.EntryList;
import dev.hotpot.heap.HeapReader;
import dev.hotpot.heap.Roots;
import dev.hotpot.heap.Superblock;
import dev.hotpot.object.ClassLayout;
import dev.hotpot.object.FieldKind;
import dev.hotpot.object.FieldLayout;
import dev.hotpot.object.ObjectHeader;
import dev.hotpot.object.SchemaRegistry;
import dev.hotpot.object.StoredFields;
import dev.hotpot.object.ValueSlots;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

import static dev.hotpot.offline.AllocatorCheck.hex;

/**
 * A structural check of a whole heap, and the set of blocks reachable from its roots (and the
 * allocator's own): what {@code verify}, {@code gc} and {@code stats} share. It checks the allocator ({@link
 * AllocatorCheck}); the schema and root lists; every object block's header against the schema;
 * and, from the roots and the extension table, every reachable object's fields (references to
 * object blocks, owned string blobs, enum ids within their table), its extension block, and the
 * storage of every collection ({@link CollectionBlocks}). The allocator's arena directory and its
 * arenas count as reached. Unreachable blocks are garbage, not damage: only their headers are
 * checked.
 *
 * <p>Invariants: nothing is read through an address before it was checked to lie in the block it
 * should; a damaged address is reported with the address of the word that holds it.
 *
 * <p>Threading: one thread; over a live heap, nothing else may change it meanwhile.
 */
public final class HeapCheck {
    private final HeapReader heap;
    private final List<Problem> problems = new ArrayList<>();
    private final StoredSchema schema = new StoredSchema();
    private final Map<String, Long> roots = new LinkedHashMap<>();
    /** Object address to its extension block and the extension table's entry that maps it. */
    private final Map<Long, Extension> extensions = new HashMap<>();
    private final ArrayDeque<Long> pending = new ArrayDeque<>();
    private BlockTable blocks;
    private BlockClaims claims;
    private long top;
    private long extensionTable;

    /** An extension block of an object and the entry of the extension table that maps it. */
    record Extension(long block, long entry) {
    }

    private HeapCheck(HeapReader heap) {
        this.heap = heap;
    }

    /** Checks {@code heap} and finds what its roots reach. */
    public static HeapCheck run(HeapReader heap) {
        HeapCheck check = new HeapCheck(heap);
        check.check();
        return check;
    }

    private void check() {
        AllocatorCheck allocator = new AllocatorCheck(heap, problems);
        blocks = allocator.walk();
        top = allocator.top();
        claims = new BlockClaims(heap, blocks, top, problems);
        allocator.checkArenas(claims);
        walkList(SchemaRegistry.LIST, this::readSchemaEntry);
        checkObjectHeaders();
        extensionTable = heap.getLong(Superblock.EXTENSIONS);
        if (extensionTable != 0) {
            traceExtensionTable();
        }
        walkList(Roots.LIST, entry -> {
            String name = Roots.name(heap, entry);
            long value = Roots.value(heap, entry);
            roots.put(name, value);
            if (value != 0) {
                follow(value, entry, "root '" + name + "'");
            }
        });
        while (!pending.isEmpty()) {
            traceObject(pending.poll());
        }
        checkExtensionsOfUnreachedObjects();
    }

    // ---- results ------------------------------------------------------------------------------

    /** Every problem found, in the order found. */
    public List<Problem> problems() {
        return Collections.unmodifiableList(problems);
    }

    /** The roots by name, with the address each holds. */
    public Map<String, Long> roots() {
        return Collections.unmodifiableMap(roots);
    }

    /** The allocator's top. */
    public long top() {
        return top;
    }

    /** The address of the extension table, or 0. */
    public long extensionTable() {
        return extensionTable;
    }

    /**
     * Calls {@code visitor} with the payload address of every reached block (from the roots, or
     * the allocator's own), in address order.
     */
    public void forEachReachable(LongConsumer visitor) {
        for (int i = 0; i < blocks.count(); i++) {
            if (claims.isReached(i)) {
                visitor.accept(blocks.payload(i));
            }
        }
    }

    /** Calls {@code visitor} with every block, as {@link BlockVisitor} says. */
    public void forEachBlock(BlockVisitor visitor) {
        for (int i = 0; i < blocks.count(); i++) {
            long payload = blocks.payload(i);
            String className = null;
            if (blocks.tag(i) == BlockFormat.TAG_OBJECT) {
                SchemaRegistry.Entry entry = schema.byId(heap.getInt(payload + ObjectHeader.CLASS_ID));
                className = entry == null ? null : entry.layout().className() + " v" + entry.version();
            }
            visitor.block(payload, blocks.size(i), blocks.tag(i), claims.isReached(i), className);
        }
    }

    /** Receives a block: its payload address, size (header included), tag, whether reached, and an object's class. */
    @FunctionalInterface
    public interface BlockVisitor {
        /** @param className for an object block, its class and layout version ("a.B v2"); null otherwise */
        void block(long payload, long size, long tag, boolean reached, String className);
    }

    /** The extension of the object at {@code object}, or null. */
    Extension extensionOf(long object) {
        return extensions.get(object);
    }

    // ---- lists --------------------------------------------------------------------------------

    /** Walks a list of entry blocks, claiming each; a bad link is reported at the word holding it and ends the walk. */
    private void walkList(EntryList list, LongConsumer onEntry) {
        long link = list.head();
        for (long entry = heap.getLong(link); entry != 0; link = entry, entry = heap.getLong(entry)) {
            if (!claims.owned(entry, list.fixedBytes(), list.what(), link)) {
                return;
            }
            long bytes = list.storedBytes(heap, entry);
            int index = blocks.atPayload(entry);
            if (bytes < 0 || bytes > blocks.usable(index)) {
                problems.add(new Problem(entry, list.what() + " says it holds " + bytes + " bytes; its block holds "
                        + blocks.usable(index)));
                return;
            }
            onEntry.accept(entry);
        }
    }

    private void readSchemaEntry(long block) {
        SchemaRegistry.Entry entry;
        try {
            entry = SchemaRegistry.decode(heap, block);
        } catch (RuntimeException e) {
            problems.add(new Problem(block, "schema entry does not hold a class layout (" + e.getMessage() + ")"));
            return;
        }
        if (!schema.add(entry)) {
            problems.add(new Problem(block, "schema entry of " + entry.layout().className() + " has class id "
                    + entry.classId() + ", which another entry has"));
        }
    }

    // ---- objects ------------------------------------------------------------------------------

    private void checkObjectHeaders() {
        for (int i = 0; i < blocks.count(); i++) {
            if (blocks.tag(i) == BlockFormat.TAG_OBJECT) {
                long object = blocks.payload(i);
                int classId = heap.getInt(object + ObjectHeader.CLASS_ID);
                SchemaRegistry.Entry entry = schema.byId(classId);
                if (entry == null || StoredFields.isEnumTable(entry.layout())) {
                    problems.add(new Problem(object, "object header names class id " + classId
                            + (entry == null ? ", which the schema does not hold" : ", an enum's table")));
                } else if (entry.layout().size() > blocks.usable(i)) {
                    problems.add(new Problem(object, "object of " + entry.layout().className() + " needs "
                            + entry.layout().size() + " bytes but its block holds " + blocks.usable(i)));
                }
            }
        }
    }

    /** The layout entry of the object at {@code object} whose header checked out, or null. */
    private SchemaRegistry.Entry entryOf(long object) {
        SchemaRegistry.Entry entry = schema.byId(heap.getInt(object + ObjectHeader.CLASS_ID));
        int index = blocks.atPayload(object);
        return entry == null || StoredFields.isEnumTable(entry.layout()) || entry.layout().size() > blocks.usable(index)
                ? null : entry;
    }

    /** Queues the object at {@code object}, referred to at {@code from}, for tracing if it is one and new. */
    private boolean follow(long object, long from, String what) {
        int index = claims.object(object, from, what);
        if (index < 0) {
            return false;
        }
        if (claims.reach(index)) {
            pending.add(object);
        }
        return true;
    }

    private void traceObject(long object) {
        SchemaRegistry.Entry entry = entryOf(object);
        if (entry == null) {
            return;
        }
        ClassLayout layout = entry.layout();
        if (CollectionBlocks.isCollection(layout.className())) {
            CollectionBlocks.check(heap, layout.className(), object, new Visitor(object));
            return;
        }
        traceFields(object, layout, 0, layout.size());
        Extension extension = extensions.get(object);
        if (extension != null) {
            SchemaRegistry.Entry newest = schema.newest(layout.className());
            if (claims.owned(extension.block(), 0, "extension block", extension.entry())) {
                long usable = blocks.usable(blocks.atPayload(extension.block()));
                traceFields(extension.block(), newest.layout(), layout.size(), usable);
            }
        }
    }

    /** Traces the fields of {@code layout} at {@code base} that start at {@code from} or later and end by {@code limit}. */
    private void traceFields(long base, ClassLayout layout, int from, long limit) {
        for (FieldLayout field : layout.fields()) {
            FieldKind kind = schema.kindOf(layout, field);
            long at = base + field.offset();
            String what = "field " + layout.className() + "." + field.name();
            if (kind == null) {
                problems.add(new Problem(at, what + " has descriptor " + field.descriptor() + ", which no field has"));
                continue;
            }
            if (field.offset() < from || field.offset() + kind.size() > limit) {
                continue;
            }
            switch (kind) {
                case STRING -> {
                    long blob = heap.getLong(at);
                    if (blob != 0) {
                        claims.string(blob, at);
                    }
                }
                case REFERENCE -> {
                    long target = heap.getLong(at);
                    if (target != 0) {
                        follow(target, at, what);
                    }
                }
                case ENUM -> checkEnumId(at, what, field.descriptor());
                default -> {
                    // primitives hold any bits
                }
            }
        }
    }

    private void checkEnumId(long at, String what, String descriptor) {
        int id = heap.getInt(at);
        String type = descriptor.substring(1, descriptor.length() - 1).replace('/', '.');
        int highest = schema.highestEnumId(type);
        if (id < 0 || id > highest) {
            problems.add(new Problem(at, what + " holds constant id " + id + " but the table of enum " + type
                    + " has ids 1 to " + highest));
        }
    }

    /** Checks a value slot; returns whether its payload may be read as its kind says. */
    private boolean checkSlot(long slot, String what) {
        long kind = heap.getLong(slot);
        long payload = heap.getLong(slot + 8);
        return switch ((int) (kind & 0xFF)) {
            case ValueSlots.NULL -> true;
            case ValueSlots.OBJECT -> follow(payload, slot, what);
            case ValueSlots.STRING -> claims.string(payload, slot);
            case ValueSlots.BOOLEAN, ValueSlots.BYTE, ValueSlots.CHAR, ValueSlots.SHORT, ValueSlots.INT,
                 ValueSlots.LONG, ValueSlots.FLOAT, ValueSlots.DOUBLE -> true;
            case ValueSlots.ENUM -> checkEnumSlot(slot, kind, payload, what);
            default -> {
                problems.add(new Problem(slot, what + " has unknown value kind=" + kind));
                yield false;
            }
        };
    }

    private boolean checkEnumSlot(long slot, long kind, long payload, String what) {
        int tableId = (int) (kind >>> 8);
        SchemaRegistry.Entry table = schema.byId(tableId);
        if (table == null || !StoredFields.isEnumTable(table.layout())) {
            problems.add(new Problem(slot, what + " holds an enum of table id " + tableId + ", which is no enum table"));
            return false;
        }
        int highest = StoredFields.highestId(table.layout());
        if (payload < 1 || payload > highest) {
            problems.add(new Problem(slot, what + " holds constant id " + payload + " of enum "
                    + StoredFields.enumType(table.layout()) + ", whose table has ids 1 to " + highest));
            return false;
        }
        return true;
    }

    // ---- extensions ---------------------------------------------------------------------------

    private void traceExtensionTable() {
        int index = claims.object(extensionTable, Superblock.EXTENSIONS, "the extension table");
        if (index < 0 || !claims.reach(index)) {
            return;
        }
        SchemaRegistry.Entry entry = entryOf(extensionTable);
        if (entry == null || !entry.layout().className().equals(CollectionBlocks.MAP)) {
            problems.add(new Problem(Superblock.EXTENSIONS, "the extension table " + hex(extensionTable) + " is not a "
                    + CollectionBlocks.MAP));
            return;
        }
        CollectionBlocks.check(heap, CollectionBlocks.MAP, extensionTable, new Visitor(extensionTable) {
            @Override
            public void mapping(long entry, long keySlot, long valueSlot) {
                if (heap.getLong(keySlot) != ValueSlots.LONG || heap.getLong(valueSlot) != ValueSlots.LONG) {
                    problems.add(new Problem(entry, "extension table entry does not map an address to an address"));
                    return;
                }
                extensions.put(heap.getLong(keySlot + 8), new Extension(heap.getLong(valueSlot + 8), entry));
            }
        });
    }

    /** The extensions of objects no root reaches were not traced: their addresses must still be right. */
    private void checkExtensionsOfUnreachedObjects() {
        for (Map.Entry<Long, Extension> mapped : extensions.entrySet()) {
            long object = mapped.getKey();
            Extension extension = mapped.getValue();
            int index = claims.object(object, extension.entry(), "extension table key");
            if (index < 0 || claims.isReached(index)) {
                continue;
            }
            int block = blocks.atPayload(extension.block());
            if (block < 0 || blocks.tag(block) != BlockFormat.TAG_ALLOCATED) {
                problems.add(new Problem(extension.entry(), "extension of " + hex(object) + " at "
                        + hex(extension.block()) + " is " + claims.describe(extension.block())
                        + ", not an allocated block"));
            }
        }
    }

    /** Shows a collection's blocks and slots to the claims, on behalf of the collection object at {@code owner}. */
    private class Visitor implements CollectionVisitor {
        private final long owner;

        Visitor(long owner) {
            this.owner = owner;
        }

        @Override
        public boolean owned(long block, long bytes, String what) {
            return claims.owned(block, bytes, what, owner);
        }

        @Override
        public boolean slot(long slot, String what) {
            return checkSlot(slot, what);
        }

        @Override
        public void problem(long address, String what) {
            problems.add(new Problem(address, what));
        }
    }
}
