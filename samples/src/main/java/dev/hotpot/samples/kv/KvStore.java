package dev.hotpot.samples.kv;

import dev.hotpot.Hotpot;
import dev.hotpot.Persistent;
import dev.hotpot.Transactional;
import dev.hotpot.collections.PersistentByteArray;
import dev.hotpot.collections.PersistentSortedMap;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A persistent key-value store: records of named byte fields, ordered by key. Every public method
 * is one transaction, atomic and as durable as the heap's durability mode; concurrent callers
 * are serializable.
 *
 * <p>A record is one {@link PersistentByteArray} of its encoded fields ({@link RecordCodec}),
 * held by the map itself, so reading one follows no reference beyond the map's entry.
 *
 * <p>Invariants: each array belongs to one key alone; replacing or removing it frees it.
 *
 * <pre>{@code
 * KvStore store = Hotpot.root("usertable", KvStore.class, KvStore::new);
 * store.insert("user1", Map.of("name", "Ada".getBytes()));
 * }</pre>
 *
 * <p>Threading: safe from any thread.
 */
@Persistent
public class KvStore {
    private final PersistentSortedMap<String, PersistentByteArray> records = new PersistentSortedMap<>();

    /** Stores a record under {@code key}, replacing any record there; returns whether one was replaced. */
    @Transactional
    public boolean insert(String key, Map<String, byte[]> fields) {
        PersistentByteArray replaced = records.put(key, PersistentByteArray.of(RecordCodec.encode(fields)));
        if (replaced != null) {
            Hotpot.free(replaced);
        }
        return replaced != null;
    }

    /** The named fields of the record under {@code key} (all when {@code names} is null), or null if there is none. */
    @Transactional
    public Map<String, byte[]> read(String key, Set<String> names) {
        PersistentByteArray record = records.get(key);
        return record == null ? null : RecordCodec.decode(record.toArray(), names);
    }

    /**
     * Sets the given fields of the record under {@code key} and keeps the others; returns false,
     * changing nothing, if there is none. Values of the same length as the stored ones are
     * overwritten in place, so the transaction changes only those bytes; otherwise the record is
     * re-encoded into a new array and the old one is freed.
     */
    @Transactional
    public boolean update(String key, Map<String, byte[]> fields) {
        PersistentByteArray record = records.get(key);
        if (record == null) {
            return false;
        }
        byte[] stored = record.toArray();
        Map<String, RecordCodec.ValuePosition> positions = RecordCodec.positions(stored);
        if (fitsInPlace(fields, positions)) {
            for (Map.Entry<String, byte[]> field : fields.entrySet()) {
                byte[] bytes = field.getValue();
                record.set(positions.get(field.getKey()).offset(), bytes, 0, bytes.length);
            }
        } else {
            records.put(key, PersistentByteArray.of(RecordCodec.merge(stored, fields)));
            Hotpot.free(record);
        }
        return true;
    }

    /** Removes the record under {@code key}; returns false if there was none. */
    @Transactional
    public boolean delete(String key) {
        PersistentByteArray record = records.remove(key);
        if (record == null) {
            return false;
        }
        Hotpot.free(record);
        return true;
    }

    /** Up to {@code count} records from {@code startKey} on (inclusive), in key order, read in one transaction. */
    @Transactional
    public List<Map.Entry<String, Map<String, byte[]>>> scan(String startKey, int count, Set<String> names) {
        List<Map.Entry<String, Map<String, byte[]>>> found = new ArrayList<>();
        for (Map.Entry<String, byte[]> record : scanEncoded(startKey, count)) {
            found.add(Map.entry(record.getKey(), RecordCodec.decode(record.getValue(), names)));
        }
        return found;
    }

    /** The encoded fields ({@link RecordCodec}) of the record under {@code key}, or null if there is none. */
    @Transactional
    public byte[] readEncoded(String key) {
        PersistentByteArray record = records.get(key);
        return record == null ? null : record.toArray();
    }

    /** As {@link #scan}, with each record's fields still encoded ({@link RecordCodec}). */
    @Transactional
    public List<Map.Entry<String, byte[]>> scanEncoded(String startKey, int count) {
        List<Map.Entry<String, byte[]>> found = new ArrayList<>(Math.max(0, Math.min(count, 1024)));
        for (Map.Entry<String, PersistentByteArray> entry : records.tailMap(startKey, true).entrySet()) {
            if (found.size() >= count) {
                break;
            }
            found.add(Map.entry(entry.getKey(), entry.getValue().toArray()));
        }
        return found;
    }

    /** The number of records (walks the index). */
    @Transactional
    public int size() {
        return records.size();
    }

    private static boolean fitsInPlace(Map<String, byte[]> fields, Map<String, RecordCodec.ValuePosition> positions) {
        for (Map.Entry<String, byte[]> field : fields.entrySet()) {
            RecordCodec.ValuePosition position = positions.get(field.getKey());
            if (position == null || position.length() != field.getValue().length) {
                return false;
            }
        }
        return true;
    }
}
