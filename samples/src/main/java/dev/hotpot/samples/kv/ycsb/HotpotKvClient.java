package dev.hotpot.samples.kv.ycsb;

import dev.hotpot.Hotpot;
import dev.hotpot.HotpotSettings;
import dev.hotpot.samples.kv.KvStore;
import site.ycsb.ByteIterator;
import site.ycsb.DB;
import site.ycsb.DBException;
import site.ycsb.Status;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.Vector;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The YCSB binding of {@link KvStore}: each YCSB table is a store under the root of the same name,
 * and each operation is one transaction. Run {@code site.ycsb.Client} with the agent:
 *
 * <pre>
 * java -javaagent:hotpot.jar -cp hotpot-samples.jar:ycsb-core.jar site.ycsb.Client -load \
 *      -db dev.hotpot.samples.kv.ycsb.HotpotKvClient -P workloada -p hotpot.dir=kv-data
 * </pre>
 *
 * Binding properties: {@code hotpot.dir}, {@code hotpot.heap} (default {@value #DEFAULT_HEAP}),
 * {@code hotpot.size} (of a new heap, default {@value #DEFAULT_SIZE}), {@code hotpot.durability}
 * ({@code sync}, the default: every update, insert and delete is on disk when it returns;
 * {@code async}; {@code none}) and {@code hotpot.maxAttempts}. They configure the process's heap,
 * so they are read by the first client of the JVM, before the heap opens; agent arguments give
 * the same settings.
 *
 * <p>Threading: YCSB makes one client per thread; the clients share the heap and the stores.
 */
public final class HotpotKvClient extends DB {
    static final String DEFAULT_HEAP = "ycsb";
    static final String DEFAULT_SIZE = "1g";

    private static final Map<String, KvStore> STORES = new ConcurrentHashMap<>();

    @Override
    public void init() throws DBException {
        configureHeap(getProperties());
        try {
            Hotpot.heap();
        } catch (RuntimeException e) {
            throw new DBException("cannot open the Hotpot heap: " + e.getMessage(), e);
        }
    }

    @Override
    public Status read(String table, String key, Set<String> fields, Map<String, ByteIterator> result) {
        return attempt("read", key, () -> {
            byte[] found = store(table).readEncoded(key);
            if (found == null) {
                return Status.NOT_FOUND;
            }
            YcsbValues.copyInto(found, fields, result);
            return Status.OK;
        });
    }

    @Override
    public Status scan(String table, String startKey, int count, Set<String> fields,
                       Vector<HashMap<String, ByteIterator>> result) {
        return attempt("scan", startKey, () -> {
            for (Map.Entry<String, byte[]> record : store(table).scanEncoded(startKey, count)) {
                YcsbValues.addRecord(record.getValue(), fields, result);
            }
            return Status.OK;
        });
    }

    @Override
    public Status update(String table, String key, Map<String, ByteIterator> values) {
        Map<String, byte[]> bytes = YcsbValues.bytesOf(values);
        return attempt("update", key, () -> store(table).update(key, bytes) ? Status.OK : Status.NOT_FOUND);
    }

    @Override
    public Status insert(String table, String key, Map<String, ByteIterator> values) {
        Map<String, byte[]> bytes = YcsbValues.bytesOf(values);
        return attempt("insert", key, () -> {
            store(table).insert(key, bytes);
            return Status.OK;
        });
    }

    @Override
    public Status delete(String table, String key) {
        return attempt("delete", key, () -> store(table).delete(key) ? Status.OK : Status.NOT_FOUND);
    }

    /**
     * Runs one operation; a failure (a transaction that kept conflicting, a full heap, an I/O
     * error) is reported on standard error and counted by YCSB as an error, and the operation
     * changed nothing.
     */
    private static Status attempt(String operation, String key, Supplier<Status> body) {
        try {
            return body.get();
        } catch (RuntimeException e) {
            System.err.println("hotpot-kv: " + operation + " of key=" + key + " failed: " + e);
            return Status.ERROR;
        }
    }

    /** Copies the binding's {@code hotpot.*} properties to the system properties the heap is opened from. */
    private static synchronized void configureHeap(Properties properties) {
        Properties system = System.getProperties();
        for (String name : HotpotSettings.NAMES) {
            String key = HotpotSettings.PREFIX + name;
            String value = properties.getProperty(key);
            if (value != null) {
                system.setProperty(key, value);
            }
        }
        system.putIfAbsent(HotpotSettings.PREFIX + HotpotSettings.HEAP, DEFAULT_HEAP);
        system.putIfAbsent(HotpotSettings.PREFIX + HotpotSettings.SIZE, DEFAULT_SIZE);
        system.putIfAbsent(HotpotSettings.PREFIX + HotpotSettings.DURABILITY, "sync");
    }

    private static KvStore store(String table) {
        return STORES.computeIfAbsent(table, name -> Hotpot.root(name, KvStore.class, KvStore::new));
    }
}
