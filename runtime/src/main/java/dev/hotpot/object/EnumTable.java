package dev.hotpot.object;

import dev.hotpot.SchemaMismatchException;
import dev.hotpot.heap.Heap;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Enum constants are stored by the id of their name, never by ordinal, so reordering or adding
 * constants keeps stored values. Each enum class has a table of names in the schema registry
 * (class name {@code enum:<name>}, one entry per constant whose offset is its id, ids from 1;
 * 0 stores null). Names are only ever appended.
 *
 * <p>Threading: safe from any thread. Only ids of committed tables are cached; a transaction
 * that adds a name uses it uncached until it commits.
 */
final class EnumTable {
    static final String PREFIX = "enum:";
    private static final String DESCRIPTOR = "E";

    private final Heap heap;
    private final SchemaRegistry schema;
    /** enum class -> committed names by id (index 0 unused). */
    private final Map<Class<?>, List<String>> committed = new ConcurrentHashMap<>();

    EnumTable(Heap heap, SchemaRegistry schema) {
        this.heap = heap;
        this.schema = schema;
    }

    int idOf(Enum<?> constant) {
        Class<?> type = constant.getDeclaringClass();
        List<String> names = committedNames(type);
        if (names != null) {
            int id = names.indexOf(constant.name());
            if (id > 0) {
                return id;
            }
        }
        return heap.transaction(() -> {
            List<String> stored = storedNames(type);
            int id = stored.indexOf(constant.name());
            if (id > 0) {
                return id;
            }
            stored.add(constant.name());
            List<FieldLayout> fields = new ArrayList<>();
            for (int i = 1; i < stored.size(); i++) {
                fields.add(new FieldLayout(stored.get(i), DESCRIPTOR, i));
            }
            schema.register(new ClassLayout(PREFIX + type.getName(), 0, fields));
            heap.afterCommit(() -> committed.remove(type));
            return stored.size() - 1;
        });
    }

    <E extends Enum<E>> E constantOf(Class<E> type, int id) {
        if (id == 0) {
            return null;
        }
        List<String> names = committedNames(type);
        if (names == null || id >= names.size()) {
            names = heap.transaction(() -> storedNames(type));
        }
        if (id < 0 || id >= names.size()) {
            throw new dev.hotpot.HeapCorruptException("enum " + type.getName() + ": id=" + id + " is not in the heap's"
                    + " table of its constants (" + (names.size() - 1) + " names) in heap=" + heap.name()
                    + "; the heap is damaged: restore it from a copy");
        }
        String name = names.get(id);
        try {
            return Enum.valueOf(type, name);
        } catch (IllegalArgumentException e) {
            throw new SchemaMismatchException("enum " + type.getName() + ": the heap holds constant '" + name
                    + "' but the enum no longer declares it; put the constant back, or rewrite the objects that hold it"
                    + " with a version of the enum that has it");
        }
    }

    /** The schema id of the newest stored table of {@code type} (in the calling transaction). */
    int tableId(Class<?> type) {
        SchemaRegistry.Entry entry = schema.latest(PREFIX + type.getName());
        if (entry == null) {
            throw new IllegalStateException("enum " + type.getName() + " has no table yet; store a constant first");
        }
        return entry.classId();
    }

    /** Constant {@code id} of the enum whose table (any version) has schema id {@code tableId}. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    Enum<?> constantOf(int tableId, int id) {
        String name = schema.lookup(tableId).layout().className();
        if (!name.startsWith(PREFIX)) {
            throw new dev.hotpot.HeapCorruptException("schema id=" + tableId + " of heap=" + heap.name() + " is "
                    + name + ", not an enum table; the heap is damaged: restore it from a copy");
        }
        String className = name.substring(PREFIX.length());
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try {
            Class<?> type = Class.forName(className, false, loader == null ? EnumTable.class.getClassLoader() : loader);
            return constantOf((Class) type, id);
        } catch (ClassNotFoundException e) {
            throw new dev.hotpot.HotpotException("the heap holds a constant of enum " + className
                    + ", which is not on the class path", e);
        }
    }

    /** The committed table of {@code type}, loaded when needed outside a transaction; null inside one. */
    private List<String> committedNames(Class<?> type) {
        List<String> names = committed.get(type);
        if (names == null && !heap.inTransaction()) {
            names = List.copyOf(heap.transaction(() -> storedNames(type)));
            committed.put(type, names);
        }
        return names;
    }

    /** Stored names by id (index 0 is a placeholder), read in the current transaction. */
    private List<String> storedNames(Class<?> type) {
        List<String> names = new ArrayList<>();
        names.add("");
        SchemaRegistry.Entry entry = schema.latest(PREFIX + type.getName());
        if (entry != null) {
            for (FieldLayout field : entry.layout().fields()) {
                while (names.size() <= field.offset()) {
                    names.add("");
                }
                names.set(field.offset(), field.name());
            }
        }
        return names;
    }
}
