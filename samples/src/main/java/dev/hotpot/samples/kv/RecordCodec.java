package dev.hotpot.samples.kv;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The bytes of one record: its named fields, in the order they were first written.
 *
 * <pre>
 * int count | count x ( short nameLength | name (UTF-8) | int valueLength | value )
 * </pre>
 * All integers are big-endian. A field's value keeps its position while its length stays the
 * same, which lets an update of equal-length values rewrite only those bytes in place.
 *
 * <p>Threading: stateless.
 */
final class RecordCodec {
    private RecordCodec() {
    }

    static byte[] encode(Map<String, byte[]> fields) {
        int size = Integer.BYTES;
        for (Map.Entry<String, byte[]> field : fields.entrySet()) {
            size += Short.BYTES + utf8(field.getKey()).length + Integer.BYTES + field.getValue().length;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.putInt(fields.size());
        for (Map.Entry<String, byte[]> field : fields.entrySet()) {
            byte[] name = utf8(field.getKey());
            out.putShort((short) name.length).put(name).putInt(field.getValue().length).put(field.getValue());
        }
        return out.array();
    }

    /** The fields named in {@code names} (every field when it is null), in stored order. */
    static Map<String, byte[]> decode(byte[] record, Set<String> names) {
        Map<String, byte[]> fields = new LinkedHashMap<>();
        forEachField(record, (name, offset, length) -> {
            if (names == null || names.contains(name)) {
                byte[] value = new byte[length];
                System.arraycopy(record, offset, value, 0, length);
                fields.put(name, value);
            }
        });
        return fields;
    }

    /** Where each field's value starts in {@code record}, keyed by name; lengths are in {@link ValuePosition}. */
    static Map<String, ValuePosition> positions(byte[] record) {
        Map<String, ValuePosition> positions = new LinkedHashMap<>();
        forEachField(record, (name, offset, length) -> positions.put(name, new ValuePosition(offset, length)));
        return positions;
    }

    /** The offset and length of one field's value inside an encoded record. */
    record ValuePosition(int offset, int length) {
    }

    private interface FieldVisitor {
        void visit(String name, int valueOffset, int valueLength);
    }

    private static void forEachField(byte[] record, FieldVisitor visitor) {
        ByteBuffer in = ByteBuffer.wrap(record);
        int count = in.getInt();
        for (int i = 0; i < count; i++) {
            int nameLength = Short.toUnsignedInt(in.getShort());
            String name = new String(record, in.position(), nameLength, StandardCharsets.UTF_8);
            in.position(in.position() + nameLength);
            int valueLength = in.getInt();
            visitor.visit(name, in.position(), valueLength);
            in.position(in.position() + valueLength);
        }
    }

    private static byte[] utf8(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0xFFFF) {
            throw new IllegalArgumentException("field name of " + bytes.length + " UTF-8 bytes is longer than 65535");
        }
        return bytes;
    }
}
