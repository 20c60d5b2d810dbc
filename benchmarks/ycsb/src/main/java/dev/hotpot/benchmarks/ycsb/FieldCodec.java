package dev.hotpot.benchmarks.ycsb;

import site.ycsb.ByteArrayByteIterator;
import site.ycsb.ByteIterator;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The one-value encoding of a YCSB record used by the {@link RocksDbClient} and {@link MvStoreClient}
 * bindings: the field count, then each field as a length-prefixed name and a length-prefixed value.
 *
 * <pre>
 *   0        4            4+n           8+n          8+n+v
 *   +--------+------------+-------------+------------+-- ... next field
 *   | count  | name len n | name (UTF-8)| value len v| value bytes
 *   +--------+------------+-------------+------------+-- ...
 *   all lengths and the count are big-endian ints
 * </pre>
 *
 * <p>Threading: stateless; decoded values are fresh copies, never views of the encoded array.
 */
final class FieldCodec {
    private FieldCodec() {
    }

    /** Copies the values out of YCSB's iterators, which may be read only once. */
    static Map<String, byte[]> bytesOf(Map<String, ByteIterator> values) {
        Map<String, byte[]> bytes = new LinkedHashMap<>(values.size() * 2);
        for (Map.Entry<String, ByteIterator> value : values.entrySet()) {
            bytes.put(value.getKey(), value.getValue().toArray());
        }
        return bytes;
    }

    static byte[] encode(Map<String, byte[]> fields) {
        int size = Integer.BYTES;
        byte[][] names = new byte[fields.size()][];
        int i = 0;
        for (Map.Entry<String, byte[]> field : fields.entrySet()) {
            names[i] = field.getKey().getBytes(StandardCharsets.UTF_8);
            size += 2 * Integer.BYTES + names[i].length + field.getValue().length;
            i++;
        }
        ByteBuffer out = ByteBuffer.allocate(size).putInt(fields.size());
        i = 0;
        for (byte[] value : fields.values()) {
            out.putInt(names[i].length).put(names[i]).putInt(value.length).put(value);
            i++;
        }
        return out.array();
    }

    /** All fields of an encoded record, in stored order. */
    static Map<String, byte[]> decode(byte[] encoded) {
        Map<String, byte[]> fields = new LinkedHashMap<>();
        ByteBuffer in = ByteBuffer.wrap(encoded);
        int count = checkCount(in.getInt(), encoded.length);
        for (int i = 0; i < count; i++) {
            String name = readName(in);
            fields.put(name, readValue(in));
        }
        return fields;
    }

    /** Puts the fields named in {@code names} (all when null) into YCSB's result map. */
    static void decodeInto(byte[] encoded, Set<String> names, Map<String, ByteIterator> result) {
        ByteBuffer in = ByteBuffer.wrap(encoded);
        int count = checkCount(in.getInt(), encoded.length);
        for (int i = 0; i < count; i++) {
            String name = readName(in);
            if (names == null || names.contains(name)) {
                result.put(name, new ByteArrayByteIterator(readValue(in)));
            } else {
                int length = in.getInt();
                in.position(in.position() + length);
            }
        }
    }

    /** The record with {@code updates} merged into the fields of {@code encoded}. */
    static byte[] merge(byte[] encoded, Map<String, byte[]> updates) {
        Map<String, byte[]> fields = decode(encoded);
        fields.putAll(updates);
        return encode(fields);
    }

    private static int checkCount(int count, int length) {
        if (count < 0 || count > length / (2 * Integer.BYTES)) {
            throw new IllegalArgumentException("corrupt record: field count=" + count + " in a record of length=" + length);
        }
        return count;
    }

    private static String readName(ByteBuffer in) {
        byte[] name = new byte[in.getInt()];
        in.get(name);
        return new String(name, StandardCharsets.UTF_8);
    }

    private static byte[] readValue(ByteBuffer in) {
        byte[] value = new byte[in.getInt()];
        in.get(value);
        return value;
    }
}
