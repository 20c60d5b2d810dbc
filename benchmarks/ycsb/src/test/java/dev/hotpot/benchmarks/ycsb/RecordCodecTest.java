package dev.hotpot.benchmarks.ycsb;

import dev.hotpot.samples.kv.RecordCodec;
import dev.hotpot.samples.kv.ycsb.YcsbValues;
import org.junit.jupiter.api.Test;
import site.ycsb.ByteIterator;
import site.ycsb.StringByteIterator;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The record encoding and YCSB value conversions of the key-value sample, which the peer bindings
 * share with Hotpot's binding (the samples module has no tests of its own).
 */
class RecordCodecTest {

    @Test
    void decodesWhatItEncodedAndOnlyTheRequestedFields() {
        Map<String, byte[]> fields = new LinkedHashMap<>();
        fields.put("field0", bytes("zero"));
        fields.put("field1", new byte[0]);
        fields.put("fïeld2", bytes("two"));
        byte[] encoded = RecordCodec.encode(fields);

        Map<String, byte[]> decoded = RecordCodec.decode(encoded, null);
        assertEquals(List.copyOf(fields.keySet()), List.copyOf(decoded.keySet()), "stored order");
        assertArrayEquals(bytes("two"), decoded.get("fïeld2"));
        assertArrayEquals(new byte[0], decoded.get("field1"));

        assertEquals(Set.of("fïeld2"), RecordCodec.decode(encoded, Set.of("fïeld2", "absent")).keySet());
    }

    @Test
    void mergeReplacesGivenFieldsKeepsTheOthersAndAppendsNewOnes() {
        byte[] encoded = RecordCodec.encode(YcsbValues.bytesOf(ordered("a", "1", "b", "2")));

        Map<String, byte[]> merged = RecordCodec.decode(RecordCodec.merge(encoded, Map.of("b", bytes("22"), "c", bytes("3"))), null);

        assertEquals(List.of("a", "b", "c"), List.copyOf(merged.keySet()));
        assertArrayEquals(bytes("1"), merged.get("a"));
        assertArrayEquals(bytes("22"), merged.get("b"));
        assertArrayEquals(bytes("3"), merged.get("c"));
    }

    @Test
    void refusesACorruptOrTruncatedRecordWithTheBadLength() {
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                () -> RecordCodec.decode(new byte[] {0x7f, 0, 0, 0, 1, 2, 3, 4}, null));
        assertTrue(count.getMessage().contains("field count=2130706432"), count.getMessage());

        byte[] record = RecordCodec.encode(Map.of("field0", bytes("value")));
        byte[] truncated = Arrays.copyOf(record, record.length - 1);
        IllegalArgumentException value = assertThrows(IllegalArgumentException.class, () -> RecordCodec.decode(truncated, null));
        assertTrue(value.getMessage().contains("value length=5"), value.getMessage());

        assertThrows(IllegalArgumentException.class, () -> RecordCodec.decode(new byte[] {0, 0}, null));
    }

    @Test
    void ycsbValuesCopyOutOfTheIteratorsAndBackIntoTheRequestedFields() {
        Map<String, byte[]> bytes = YcsbValues.bytesOf(ordered("x", "1", "y", "2"));
        assertEquals(List.of("x", "y"), List.copyOf(bytes.keySet()));

        Map<String, ByteIterator> all = new HashMap<>();
        YcsbValues.copyInto(bytes, null, all);
        assertEquals("2", all.get("y").toString());

        Map<String, ByteIterator> some = new HashMap<>();
        YcsbValues.copyInto(bytes, Set.of("x"), some);
        assertEquals(Set.of("x"), some.keySet());

        byte[] record = RecordCodec.encode(bytes);
        Map<String, ByteIterator> decoded = new HashMap<>();
        YcsbValues.copyInto(record, null, decoded);
        assertEquals("1", decoded.get("x").toString());
        assertEquals("2", decoded.get("y").toString());
        Map<String, ByteIterator> named = new HashMap<>();
        YcsbValues.copyInto(record, Set.of("y", "absent"), named);
        assertEquals(Set.of("y"), named.keySet());
        assertEquals("2", named.get("y").toString());
    }

    private static Map<String, ByteIterator> ordered(String... namesAndValues) {
        Map<String, ByteIterator> values = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            values.put(namesAndValues[i], new StringByteIterator(namesAndValues[i + 1]));
        }
        return values;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
