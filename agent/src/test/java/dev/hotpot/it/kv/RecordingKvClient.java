package dev.hotpot.it.kv;

import dev.hotpot.samples.kv.ycsb.HotpotKvClient;
import dev.hotpot.testing.AckLog;
import site.ycsb.ByteIterator;
import site.ycsb.DB;
import site.ycsb.DBException;
import site.ycsb.Status;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.Vector;

/**
 * The Hotpot binding with a witness: after each insert and read returns, a line
 * "{@code operation status key}" is written to the file of property {@code record.file}. A write
 * reaches the operating system before the client sees the result, so after a kill -9 of this JVM
 * the file lists every insert YCSB saw acknowledged.
 *
 * <p>Threading: one instance per YCSB thread; they share one {@link AckLog}.
 */
public final class RecordingKvClient extends DB {
    private static AckLog shared;

    private final HotpotKvClient store = new HotpotKvClient();
    private AckLog record;

    @Override
    public void init() throws DBException {
        store.setProperties(getProperties());
        store.init();
        record = open(Path.of(getProperties().getProperty("record.file")));
    }

    @Override
    public Status read(String table, String key, Set<String> fields, Map<String, ByteIterator> result) {
        return witness("read", key, store.read(table, key, fields, result));
    }

    @Override
    public Status scan(String table, String startKey, int count, Set<String> fields, Vector<HashMap<String, ByteIterator>> result) {
        return store.scan(table, startKey, count, fields, result);
    }

    @Override
    public Status update(String table, String key, Map<String, ByteIterator> values) {
        return store.update(table, key, values);
    }

    @Override
    public Status insert(String table, String key, Map<String, ByteIterator> values) {
        return witness("insert", key, store.insert(table, key, values));
    }

    @Override
    public Status delete(String table, String key) {
        return store.delete(table, key);
    }

    private static synchronized AckLog open(Path path) {
        if (shared == null) {
            try {
                shared = new AckLog(path);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    private Status witness(String operation, String key, Status status) {
        record.append(operation + " " + status.getName() + " " + key);
        return status;
    }
}
