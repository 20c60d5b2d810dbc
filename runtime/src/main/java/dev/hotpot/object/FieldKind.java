package dev.hotpot.object;

/**
 * How a persistent field is stored. Primitives are stored as their bits; a {@code String} as the
 * address of an immutable blob it owns; an enum as the id of its constant's name in the heap's
 * enum table; a reference as the address of a persistent object (0 for null).
 */
public enum FieldKind {
    BOOLEAN(1), BYTE(1), CHAR(2), SHORT(2), INT(4), FLOAT(4), LONG(8), DOUBLE(8), STRING(8), ENUM(4), REFERENCE(8);

    private final int size;

    FieldKind(int size) {
        this.size = size;
    }

    /** Bytes the field occupies; also its alignment. */
    public int size() {
        return size;
    }

    /** The kind of a primitive descriptor ({@code Z B C S I F J D}), or null for reference types. */
    public static FieldKind ofPrimitive(char descriptor) {
        return switch (descriptor) {
            case 'Z' -> BOOLEAN;
            case 'B' -> BYTE;
            case 'C' -> CHAR;
            case 'S' -> SHORT;
            case 'I' -> INT;
            case 'F' -> FLOAT;
            case 'J' -> LONG;
            case 'D' -> DOUBLE;
            default -> null;
        };
    }
}
