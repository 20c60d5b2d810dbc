package dev.hotpot.offline;

import dev.hotpot.object.ClassLayout;
import dev.hotpot.object.FieldKind;
import dev.hotpot.object.FieldLayout;
import dev.hotpot.object.SchemaRegistry;
import dev.hotpot.object.StoredFields;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A heap's schema as an offline check read it: the entries by class id, the newest layout of
 * each class, and the enums that have a table of constant names.
 *
 * <p>Threading: filled by one thread, then read-only.
 */
final class StoredSchema {
    private final Map<Integer, SchemaRegistry.Entry> byId = new HashMap<>();
    private final Map<String, SchemaRegistry.Entry> newest = new HashMap<>();
    /** The enums with a table, known once every entry is added. */
    private Set<String> enumTypes;

    /** Adds an entry; returns false if its class id is taken already. */
    boolean add(SchemaRegistry.Entry entry) {
        enumTypes = null;
        if (byId.putIfAbsent(entry.classId(), entry) != null) {
            return false;
        }
        newest.merge(entry.layout().className(), entry, (a, b) -> a.version() >= b.version() ? a : b);
        return true;
    }

    /** The entry of {@code classId}, or null. */
    SchemaRegistry.Entry byId(int classId) {
        return byId.get(classId);
    }

    /** The newest entry of {@code className}, or null. */
    SchemaRegistry.Entry newest(String className) {
        return newest.get(className);
    }

    Collection<SchemaRegistry.Entry> entries() {
        return byId.values();
    }

    /** The highest constant id of enum {@code type}'s newest table, 0 when it has none. */
    int highestEnumId(String type) {
        SchemaRegistry.Entry table = newest.get(StoredFields.enumTableName(type));
        return table == null ? 0 : StoredFields.highestId(table.layout());
    }

    /** How {@code field} of {@code layout} is stored, or null for a descriptor no field has. */
    FieldKind kindOf(ClassLayout layout, FieldLayout field) {
        if (enumTypes == null) {
            enumTypes = new HashSet<>();
            for (SchemaRegistry.Entry entry : newest.values()) {
                if (StoredFields.isEnumTable(entry.layout())) {
                    enumTypes.add(StoredFields.enumType(entry.layout()));
                }
            }
        }
        return StoredFields.kindOf(layout, field, enumTypes);
    }
}
