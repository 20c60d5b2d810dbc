package dev.hotpot.benchmarks.ycsb;

import org.junit.jupiter.api.Test;
import site.ycsb.ByteIterator;
import site.ycsb.StringByteIterator;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FieldCodecTest {

    @Test
    void decodesWhatItEncodedAndOnlyTheRequestedFields() {
        Map<String, byte[]> fields = new LinkedHashMap<>();
        fields.put("field0", bytes("zero"));
        fields.put("field1", new byte[0]);
        fields.put("fïeld2", bytes("two"));
        byte[] encoded = FieldCodec.encode(fields);

        Map<String, byte[]> decoded = FieldCodec.decode(encoded);
        assertEquals(fields.keySet(), decoded.keySet());
        assertArrayEquals(bytes("two"), decoded.get("fïeld2"));

        Map<String, ByteIterator> some = new HashMap<>();
        FieldCodec.decodeInto(encoded, Set.of("fïeld2"), some);
        assertEquals(Set.of("fïeld2"), some.keySet());
        assertEquals("two", some.get("fïeld2").toString());
    }

    @Test
    void mergeReplacesGivenFieldsAndKeepsTheOthers() {
        byte[] encoded = FieldCodec.encode(FieldCodec.bytesOf(Map.of("a", new StringByteIterator("1"), "b", new StringByteIterator("2"))));

        Map<String, byte[]> merged = FieldCodec.decode(FieldCodec.merge(encoded, Map.of("b", bytes("22"), "c", bytes("3"))));

        assertEquals(Set.of("a", "b", "c"), merged.keySet());
        assertArrayEquals(bytes("1"), merged.get("a"));
        assertArrayEquals(bytes("22"), merged.get("b"));
    }

    @Test
    void refusesACorruptFieldCount() {
        assertThrows(IllegalArgumentException.class, () -> FieldCodec.decode(new byte[] {0x7f, 0, 0, 0, 1, 2, 3, 4}));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
