package dev.hotpot.samples.kv;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The bytes of one record: its named fields, in the order they were first written. Used by
 * {@link KvStore} in the Hotpot heap and, so that every store of the YCSB comparison keeps the same
 * bytes, by the comparison's RocksDB and MVStore bindings.
 *
 * <pre>
 * int count | count x ( short nameLength | name (UTF-8) | int valueLength | value )
 * </pre>
 * All integers are big-endian. A field's value keeps its position while its length stays the
 * same, which lets an update of equal-length values rewrite only those bytes in place.
 *
 * <p>Threading: stateless; decoded values are fresh copies, never views of the record.
 */
public final class RecordCodec {
    private static final int FIELD_HEADER = Short.BYTES + Integer.BYTES;

    private RecordCodec() {
    }

    public static byte[] encode(Map<String, byte[]> fields) {
        byte[][] names = new byte[fields.size()][];
        int size = Integer.BYTES;
        int i = 0;
        for (Map.Entry<String, byte[]> field : fields.entrySet()) {
            names[i] = utf8(field.getKey());
            size += FIELD_HEADER + names[i++].length + field.getValue().length;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.putInt(fields.size());
        i = 0;
        for (Map.Entry<String, byte[]> field : fields.entrySet()) {
            byte[] name = names[i++];
            out.putShort((short) name.length).put(name).putInt(field.getValue().length).put(field.getValue());
        }
        return out.array();
    }

    /**
     * The fields named in {@code names} (every field when it is null), in stored order.
     *
     * @throws IllegalArgumentException if {@code record} is not an encoded record
     */
    public static Map<String, byte[]> decode(byte[] record, Set<String> names) {
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

    /**
     * The record with {@code updates} set and its other fields kept; a new field goes last.
     *
     * @throws IllegalArgumentException if {@code record} is not an encoded record
     */
    public static byte[] merge(byte[] record, Map<String, byte[]> updates) {
        Map<String, byte[]> fields = decode(record, null);
        fields.putAll(updates);
        return encode(fields);
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

    /** Receives one field of an encoded record: its name and where its value lies in the record. */
    @FunctionalInterface
    public interface FieldVisitor {
        void visit(String name, int valueOffset, int valueLength);
    }

    /**
     * Visits the fields of {@code record} in stored order without copying their values.
     *
     * @throws IllegalArgumentException if the record is truncated or corrupt
     */
    public static void forEachField(byte[] record, FieldVisitor visitor) {
        ByteBuffer in = ByteBuffer.wrap(record);
        int count = checkLength("field count", header(in, Integer.BYTES, record).getInt(), in.remaining() / FIELD_HEADER, record);
        for (int i = 0; i < count; i++) {
            int nameLength = Short.toUnsignedInt(header(in, Short.BYTES, record).getShort());
            String name = new String(record, in.position(), checkLength("name length", nameLength, in.remaining(), record),
                    StandardCharsets.UTF_8);
            in.position(in.position() + nameLength);
            int valueLength = checkLength("value length", header(in, Integer.BYTES, record).getInt(), in.remaining(), record);
            visitor.visit(name, in.position(), valueLength);
            in.position(in.position() + valueLength);
        }
    }

    /** {@code in}, after checking that a header field of {@code size} bytes is left to read. */
    private static ByteBuffer header(ByteBuffer in, int size, byte[] record) {
        if (in.remaining() < size) {
            throw new IllegalArgumentException("corrupt record: it ends at offset=" + in.position()
                    + " inside a header field of " + size + " bytes (record length=" + record.length + ")");
        }
        return in;
    }

    private static int checkLength(String what, int value, int limit, byte[] record) {
        if (value < 0 || value > limit) {
            throw new IllegalArgumentException("corrupt record: " + what + "=" + value + " but at most " + limit
                    + " fits in the rest of a record of length=" + record.length);
        }
        return value;
    }

    private static byte[] utf8(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0xFFFF) {
            throw new IllegalArgumentException("field name of " + bytes.length + " UTF-8 bytes is longer than 65535");
        }
        return bytes;
    }
}
