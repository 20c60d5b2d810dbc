package dev.hotpot.samples.kv;

import dev.hotpot.Hotpot;
import dev.hotpot.Persistent;
import dev.hotpot.collections.PersistentByteArray;

import java.util.Map;
import java.util.Set;

/**
 * One record of the store: named fields with byte values, kept as one encoded byte array in the
 * heap (the layout is in {@link RecordCodec}), so a record costs two heap blocks whatever its
 * field count.
 *
 * <p>Threading: call from a {@link KvStore} transaction; a record has no lock of its own.
 */
@Persistent
class KvRecord {
    private PersistentByteArray fields;

    KvRecord(Map<String, byte[]> values) {
        fields = PersistentByteArray.of(RecordCodec.encode(values));
    }

    /** The fields named in {@code names}, or all of them when it is null. */
    Map<String, byte[]> read(Set<String> names) {
        return RecordCodec.decode(encoded(), names);
    }

    /** A copy of the record's encoded fields ({@link RecordCodec}). */
    byte[] encoded() {
        return fields.toArray();
    }

    /**
     * Sets the given fields and keeps the others. Values of the same length as the stored ones
     * are overwritten in place, so the transaction changes only those bytes; otherwise the record
     * is re-encoded into a new array and the old one is freed.
     */
    void update(Map<String, byte[]> values) {
        byte[] stored = fields.toArray();
        Map<String, RecordCodec.ValuePosition> positions = RecordCodec.positions(stored);
        if (fitsInPlace(values, positions)) {
            for (Map.Entry<String, byte[]> value : values.entrySet()) {
                byte[] bytes = value.getValue();
                fields.set(positions.get(value.getKey()).offset(), bytes, 0, bytes.length);
            }
            return;
        }
        PersistentByteArray old = fields;
        fields = PersistentByteArray.of(RecordCodec.merge(stored, values));
        Hotpot.free(old);
    }

    /** Frees the record and its field bytes; neither may be used afterwards. */
    void free() {
        Hotpot.free(fields);
        Hotpot.free(this);
    }

    private static boolean fitsInPlace(Map<String, byte[]> values, Map<String, RecordCodec.ValuePosition> positions) {
        for (Map.Entry<String, byte[]> value : values.entrySet()) {
            RecordCodec.ValuePosition position = positions.get(value.getKey());
            if (position == null || position.length() != value.getValue().length) {
                return false;
            }
        }
        return true;
    }
}
