package dev.hotpot.samples.kv;

import dev.hotpot.Persistent;
import dev.hotpot.Transactional;
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
 * <pre>{@code
 * KvStore store = Hotpot.root("usertable", KvStore.class, KvStore::new);
 * store.insert("user1", Map.of("name", "Ada".getBytes()));
 * }</pre>
 *
 * <p>Threading: safe from any thread.
 */
@Persistent
public class KvStore {
    private final PersistentSortedMap<String, KvRecord> records = new PersistentSortedMap<>();

    /** Stores a record under {@code key}, replacing any record there; returns whether one was replaced. */
    @Transactional
    public boolean insert(String key, Map<String, byte[]> fields) {
        KvRecord replaced = records.put(key, new KvRecord(fields));
        if (replaced != null) {
            replaced.free();
        }
        return replaced != null;
    }

    /** The named fields of the record under {@code key} (all when {@code names} is null), or null if there is none. */
    @Transactional
    public Map<String, byte[]> read(String key, Set<String> names) {
        KvRecord record = records.get(key);
        return record == null ? null : record.read(names);
    }

    /** Sets the given fields of the record under {@code key}; returns false, changing nothing, if there is none. */
    @Transactional
    public boolean update(String key, Map<String, byte[]> fields) {
        KvRecord record = records.get(key);
        if (record == null) {
            return false;
        }
        record.update(fields);
        return true;
    }

    /** Removes the record under {@code key}; returns false if there was none. */
    @Transactional
    public boolean delete(String key) {
        KvRecord record = records.remove(key);
        if (record == null) {
            return false;
        }
        record.free();
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
        KvRecord record = records.get(key);
        return record == null ? null : record.encoded();
    }

    /** As {@link #scan}, with each record's fields still encoded ({@link RecordCodec}). */
    @Transactional
    public List<Map.Entry<String, byte[]>> scanEncoded(String startKey, int count) {
        List<Map.Entry<String, byte[]>> found = new ArrayList<>(Math.max(0, Math.min(count, 1024)));
        for (Map.Entry<String, KvRecord> entry : records.tailMap(startKey, true).entrySet()) {
            if (found.size() >= count) {
                break;
            }
            found.add(Map.entry(entry.getKey(), entry.getValue().encoded()));
        }
        return found;
    }

    /** The number of records (walks the index). */
    @Transactional
    public int size() {
        return records.size();
    }
}
