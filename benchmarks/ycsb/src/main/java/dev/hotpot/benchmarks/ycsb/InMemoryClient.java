package dev.hotpot.benchmarks.ycsb;

import dev.hotpot.samples.kv.ycsb.YcsbValues;
import site.ycsb.ByteIterator;
import site.ycsb.Client;
import site.ycsb.DB;
import site.ycsb.DBException;
import site.ycsb.Status;
import site.ycsb.Workload;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.Vector;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The volatile ceiling: records in a {@link ConcurrentSkipListMap} (ordered, for scans) of this
 * JVM, nothing on disk. It shows what YCSB itself costs on this machine, the most any store could do.
 *
 * <p>Because YCSB's load and run phases are separate JVMs, the run phase cannot see what a load
 * phase inserted. With {@value #PRELOAD}{@code =true} the first client of the JVM therefore loads
 * the records itself exactly as the load phase would: it instantiates the workload class of the
 * properties, calls {@code init} and {@code initThread(properties, 0, 1)}, then {@code doInsert}
 * {@code insertcount} times (default {@code recordcount}), so the run phase sees the same keys and
 * record shape as after a real load. It does so in {@link #setProperties}, not in {@code init}:
 * YCSB calls {@code setProperties} on its main thread before it starts the clock, while
 * {@code init} runs on the client threads inside the measured run time, where the load would be
 * counted against the throughput.
 *
 * <p>Invariants: a stored record map is never changed after it is published; an update replaces it
 * with a merged copy ({@code computeIfPresent}), so a reader never sees a half-applied update.
 *
 * <p>Threading: YCSB makes one client per thread; all clients of the JVM share the map.
 */
public final class InMemoryClient extends DB {
    static final String PRELOAD = "memory.preload";

    private static final ConcurrentSkipListMap<String, Map<String, byte[]>> RECORDS = new ConcurrentSkipListMap<>();
    private static boolean preloaded;

    /**
     * Takes the properties and, with {@value #PRELOAD}{@code =true}, loads the records if no client
     * of this JVM has yet.
     *
     * @throws IllegalStateException if the load fails; YCSB then stops with the stack trace
     */
    @Override
    public void setProperties(Properties properties) {
        super.setProperties(properties);
        if (Boolean.parseBoolean(properties.getProperty(PRELOAD, "false"))) {
            synchronized (InMemoryClient.class) {
                if (!preloaded) {
                    try {
                        preload(properties);
                    } catch (DBException e) {
                        throw new IllegalStateException(e.getMessage(), e);
                    }
                    preloaded = true;
                }
            }
        }
    }

    /** Inserts the records of the load phase through this client, as {@code site.ycsb.Client -load} does. */
    private void preload(Properties properties) throws DBException {
        String workloadClass = properties.getProperty(Client.WORKLOAD_PROPERTY);
        if (workloadClass == null) {
            throw new DBException("memory: cannot preload, property " + Client.WORKLOAD_PROPERTY + " is not set");
        }
        long count = Long.parseLong(properties.getProperty(Workload.INSERT_COUNT_PROPERTY,
                properties.getProperty(Client.RECORD_COUNT_PROPERTY, "0")));
        try {
            Workload workload = (Workload) Class.forName(workloadClass).getDeclaredConstructor().newInstance();
            workload.init(properties);
            Object state = workload.initThread(properties, 0, 1);
            for (long i = 0; i < count; i++) {
                if (!workload.doInsert(this, state)) {
                    throw new DBException("memory: preload insert " + i + " of " + count + " failed");
                }
            }
            workload.cleanup();
        } catch (ReflectiveOperationException | site.ycsb.WorkloadException e) {
            throw new DBException("memory: cannot preload with workload=" + workloadClass + ": " + e, e);
        }
    }

    @Override
    public Status read(String table, String key, Set<String> fields, Map<String, ByteIterator> result) {
        Map<String, byte[]> record = RECORDS.get(key);
        if (record == null) {
            return Status.NOT_FOUND;
        }
        YcsbValues.copyInto(record, fields, result);
        return Status.OK;
    }

    @Override
    public Status scan(String table, String startKey, int count, Set<String> fields,
                       Vector<HashMap<String, ByteIterator>> result) {
        int found = 0;
        for (Map<String, byte[]> record : RECORDS.tailMap(startKey, true).values()) {
            if (found++ >= count) {
                break;
            }
            YcsbValues.addRecord(record, fields, result);
        }
        return Status.OK;
    }

    @Override
    public Status update(String table, String key, Map<String, ByteIterator> values) {
        Map<String, byte[]> updates = YcsbValues.bytesOf(values);
        Map<String, byte[]> merged = RECORDS.computeIfPresent(key, (k, record) -> {
            Map<String, byte[]> copy = new HashMap<>(record);
            copy.putAll(updates);
            return copy;
        });
        return merged == null ? Status.NOT_FOUND : Status.OK;
    }

    @Override
    public Status insert(String table, String key, Map<String, ByteIterator> values) {
        RECORDS.put(key, YcsbValues.bytesOf(values));
        return Status.OK;
    }

    @Override
    public Status delete(String table, String key) {
        return RECORDS.remove(key) == null ? Status.NOT_FOUND : Status.OK;
    }
}
