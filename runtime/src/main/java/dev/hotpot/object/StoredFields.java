package dev.hotpot.object;

import java.util.Set;

/**
 * How a reader without the Java classes (an offline tool) reads the fields of a stored layout.
 * A layout records each field's name, descriptor and offset but not its kind, and a field of a
 * class type is either a reference (8 bytes: an object's address) or an enum (4 bytes: the id of
 * its constant's name). It is an enum when the schema holds a name table for its type (storing a
 * constant makes one, so an enum field of a type without a table holds 0 and reads as a null
 * reference), or when the next field starts fewer than 8 bytes after it.
 *
 * <p>Threading: stateless.
 */
public final class StoredFields {
    private static final String STRING_DESCRIPTOR = "Ljava/lang/String;";

    private StoredFields() {
    }

    /**
     * The kind of {@code field} of {@code layout}, or null for a descriptor no persistent field has.
     *
     * @param enumTypes the class names of the enums the schema holds a name table for
     */
    public static FieldKind kindOf(ClassLayout layout, FieldLayout field, Set<String> enumTypes) {
        String descriptor = field.descriptor();
        if (descriptor.length() == 1) {
            return FieldKind.ofPrimitive(descriptor.charAt(0));
        }
        if (descriptor.equals(STRING_DESCRIPTOR)) {
            return FieldKind.STRING;
        }
        if (!descriptor.startsWith("L") || !descriptor.endsWith(";")) {
            return null;
        }
        String type = descriptor.substring(1, descriptor.length() - 1).replace('/', '.');
        return enumTypes.contains(type) || room(layout, field) < FieldKind.REFERENCE.size() ? FieldKind.ENUM
                : FieldKind.REFERENCE;
    }

    /** Whether {@code layout} is an enum's table of constant names rather than a class layout. */
    public static boolean isEnumTable(ClassLayout layout) {
        return layout.className().startsWith(EnumTable.PREFIX);
    }

    /** The class name of the enum whose table of constant names {@code table} is. */
    public static String enumType(ClassLayout table) {
        return table.className().substring(EnumTable.PREFIX.length());
    }

    /** The class name of enum {@code type}'s table of constant names. */
    public static String enumTableName(String type) {
        return EnumTable.PREFIX + type;
    }

    /** The highest constant id of an enum's table of names (ids run from 1; 0 stores null). */
    public static int highestId(ClassLayout table) {
        int highest = 0;
        for (FieldLayout name : table.fields()) {
            highest = Math.max(highest, name.offset());
        }
        return highest;
    }

    /** Bytes from {@code field} to the next field of {@code layout}, or to its end. */
    private static int room(ClassLayout layout, FieldLayout field) {
        int end = layout.size();
        for (FieldLayout other : layout.fields()) {
            if (other.offset() > field.offset()) {
                end = Math.min(end, other.offset());
            }
        }
        return end - field.offset();
    }
}
