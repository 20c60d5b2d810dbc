package dev.hotpot.benchmarks.ycsb;

import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteOptions;
import site.ycsb.ByteIterator;
import site.ycsb.DB;
import site.ycsb.DBException;
import site.ycsb.Status;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.Vector;

/**
 * YCSB binding of RocksDB (rocksdbjni). Written here because YCSB's published {@code rocksdb-binding}
 * does not resolve from Maven Central for YCSB 0.17.0 together with rocksdbjni 11; it keeps the
 * published binding's options ({@code optimizeLevelStyleCompaction}, parallelism of the core count).
 *
 * <p>One column family (the default one; YCSB's core workloads use a single table, so the table
 * argument is not used). A record is one value, encoded by {@link FieldCodec}. An update reads the
 * record, merges the fields and writes it back; like the published binding, concurrent updates of
 * the same key are not atomic with each other.
 *
 * <p>Properties: {@value #DIR} (the database directory, required) and {@value #SYNC} (default
 * {@code true}: every put and delete fsyncs the write-ahead log before it returns; concurrent
 * writers share one fsync through RocksDB's group commit; {@code false}: the log is written but not
 * forced, which the harness uses for the unmeasured load phase).
 *
 * <p>Threading: YCSB makes one client per thread. The clients share one database, opened by the
 * first {@code init} and closed by the last {@code cleanup} (a reference count, as YCSB's own
 * bindings do).
 */
public final class RocksDbClient extends DB {
    static final String DIR = "rocksdb.dir";
    static final String SYNC = "rocksdb.sync";

    private static final Object LOCK = new Object();
    private static RocksDB database;
    private static Options options;
    private static int clients;

    private WriteOptions writeOptions;

    @Override
    public void init() throws DBException {
        String dir = getProperties().getProperty(DIR);
        if (dir == null) {
            throw new DBException("rocksdb: property " + DIR + " is not set; give it the database directory");
        }
        boolean sync = Boolean.parseBoolean(getProperties().getProperty(SYNC, "true"));
        synchronized (LOCK) {
            if (database == null) {
                try {
                    Files.createDirectories(Path.of(dir));
                    RocksDB.loadLibrary();
                    options = new Options()
                            .setCreateIfMissing(true)
                            .optimizeLevelStyleCompaction()
                            .setIncreaseParallelism(Runtime.getRuntime().availableProcessors());
                    database = RocksDB.open(options, dir);
                } catch (RocksDBException | IOException e) {
                    throw new DBException("rocksdb: cannot open dir=" + dir + ": " + e.getMessage(), e);
                }
            }
            clients++;
        }
        writeOptions = new WriteOptions().setSync(sync);
    }

    @Override
    public void cleanup() throws DBException {
        writeOptions.close();
        synchronized (LOCK) {
            if (--clients == 0) {
                try {
                    database.closeE();
                } catch (RocksDBException e) {
                    throw new DBException("rocksdb: close failed: " + e.getMessage(), e);
                } finally {
                    options.close();
                    database = null;
                    options = null;
                }
            }
        }
    }

    @Override
    public Status read(String table, String key, Set<String> fields, Map<String, ByteIterator> result) {
        try {
            byte[] record = database.get(keyBytes(key));
            if (record == null) {
                return Status.NOT_FOUND;
            }
            FieldCodec.decodeInto(record, fields, result);
            return Status.OK;
        } catch (RocksDBException | RuntimeException e) {
            BindingErrors.report("rocksdb", "read", key, e);
            return Status.ERROR;
        }
    }

    @Override
    public Status scan(String table, String startKey, int count, Set<String> fields,
                       Vector<HashMap<String, ByteIterator>> result) {
        try (RocksIterator records = database.newIterator()) {
            records.seek(keyBytes(startKey));
            for (int i = 0; i < count && records.isValid(); i++, records.next()) {
                HashMap<String, ByteIterator> values = new HashMap<>();
                FieldCodec.decodeInto(records.value(), fields, values);
                result.add(values);
            }
            records.status();
            return Status.OK;
        } catch (RocksDBException | RuntimeException e) {
            BindingErrors.report("rocksdb", "scan", startKey, e);
            return Status.ERROR;
        }
    }

    @Override
    public Status update(String table, String key, Map<String, ByteIterator> values) {
        Map<String, byte[]> updates = FieldCodec.bytesOf(values);
        try {
            byte[] keyBytes = keyBytes(key);
            byte[] record = database.get(keyBytes);
            if (record == null) {
                return Status.NOT_FOUND;
            }
            database.put(writeOptions, keyBytes, FieldCodec.merge(record, updates));
            return Status.OK;
        } catch (RocksDBException | RuntimeException e) {
            BindingErrors.report("rocksdb", "update", key, e);
            return Status.ERROR;
        }
    }

    @Override
    public Status insert(String table, String key, Map<String, ByteIterator> values) {
        byte[] record = FieldCodec.encode(FieldCodec.bytesOf(values));
        try {
            database.put(writeOptions, keyBytes(key), record);
            return Status.OK;
        } catch (RocksDBException | RuntimeException e) {
            BindingErrors.report("rocksdb", "insert", key, e);
            return Status.ERROR;
        }
    }

    @Override
    public Status delete(String table, String key) {
        try {
            byte[] keyBytes = keyBytes(key);
            if (database.get(keyBytes) == null) {
                return Status.NOT_FOUND;
            }
            database.delete(writeOptions, keyBytes);
            return Status.OK;
        } catch (RocksDBException | RuntimeException e) {
            BindingErrors.report("rocksdb", "delete", key, e);
            return Status.ERROR;
        }
    }

    private static byte[] keyBytes(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }
}
