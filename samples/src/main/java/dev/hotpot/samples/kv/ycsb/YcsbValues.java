package dev.hotpot.samples.kv.ycsb;

import dev.hotpot.samples.kv.RecordCodec;
import site.ycsb.ByteArrayByteIterator;
import site.ycsb.ByteIterator;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.Vector;

/**
 * Field values between YCSB's types and plain byte arrays, for {@link HotpotKvClient} and the
 * peer bindings of the YCSB comparison, so that every binding pays the same conversions.
 *
 * <p>Threading: stateless.
 */
public final class YcsbValues {
    private YcsbValues() {
    }

    /** Copies the values out of YCSB's iterators, which may be read only once; keeps their order. */
    public static Map<String, byte[]> bytesOf(Map<String, ByteIterator> values) {
        Map<String, byte[]> bytes = new LinkedHashMap<>();
        for (Map.Entry<String, ByteIterator> value : values.entrySet()) {
            bytes.put(value.getKey(), value.getValue().toArray());
        }
        return bytes;
    }

    /**
     * Puts the fields of an encoded record ({@link RecordCodec}) named in {@code names} (every field
     * when it is null) into YCSB's result map; the iterators wrap slices of {@code record}, which
     * must not change afterwards.
     */
    public static void copyInto(byte[] record, Set<String> names, Map<String, ByteIterator> result) {
        RecordCodec.forEachField(record, (name, offset, length) -> {
            if (names == null || names.contains(name)) {
                result.put(name, new ByteArrayByteIterator(record, offset, length));
            }
        });
    }

    /**
     * Adds the fields of an encoded record named in {@code names} (every field when it is null) as one
     * more row of a scan's result, as {@link #copyInto(byte[], Set, Map)} puts them.
     */
    public static void addRecord(byte[] record, Set<String> names, Vector<HashMap<String, ByteIterator>> result) {
        HashMap<String, ByteIterator> values = new HashMap<>();
        copyInto(record, names, values);
        result.add(values);
    }

    /** Adds the fields named in {@code names} (every field when it is null) as one more row of a scan's result. */
    public static void addRecord(Map<String, byte[]> fields, Set<String> names, Vector<HashMap<String, ByteIterator>> result) {
        HashMap<String, ByteIterator> values = new HashMap<>();
        copyInto(fields, names, values);
        result.add(values);
    }

    /** Puts the fields named in {@code names} (every field when it is null) into YCSB's result map; the iterators wrap the arrays. */
    public static void copyInto(Map<String, byte[]> fields, Set<String> names, Map<String, ByteIterator> result) {
        for (Map.Entry<String, byte[]> field : fields.entrySet()) {
            if (names == null || names.contains(field.getKey())) {
                result.put(field.getKey(), new ByteArrayByteIterator(field.getValue()));
            }
        }
    }
}
