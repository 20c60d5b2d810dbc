package dev.hotpot.benchmarks.ycsb;

import dev.hotpot.samples.kv.RecordCodec;
import dev.hotpot.samples.kv.ycsb.YcsbValues;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteOptions;
import site.ycsb.ByteIterator;
import site.ycsb.DB;
import site.ycsb.DBException;
import site.ycsb.Status;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * argument is not used). A record is one value, encoded by {@link RecordCodec} as in Hotpot's
 * key-value sample. An update reads the record, merges the fields and writes it back; like the
 * published binding, concurrent updates of the same key are not atomic with each other.
 *
 * <p>Properties: {@value #DIR} (the database directory, required) and {@value #SYNC} (default
 * {@code true}: every put and delete fsyncs the write-ahead log before it returns; concurrent
 * writers share one fsync through RocksDB's group commit; {@code false}: the log is written but not
 * forced, which the harness uses for the unmeasured load phase).
 *
 * <p>The last {@code cleanup} flushes the memtables to SST files and waits for the flush before it
 * closes the database. Without it the next JVM would replay the whole write-ahead log of the load in
 * {@code RocksDB.open}, and YCSB opens the store inside the measured run time ({@code init} runs on
 * the client threads after the clock starts).
 *
 * <p>Threading: YCSB makes one client per thread. The clients share one database, opened by the
 * first {@code init} and closed by the last {@code cleanup} ({@link SharedStore}).
 */
public final class RocksDbClient extends DB {
    static final String DIR = "rocksdb.dir";
    static final String SYNC = "rocksdb.sync";

    private static final SharedStore<Database> SHARED = new SharedStore<>();

    private RocksDB database;
    private WriteOptions writeOptions;

    /** An open database and the options it was opened with, which must outlive it. */
    private record Database(RocksDB db, Options options) {
    }

    @Override
    public void init() throws DBException {
        String dir = getProperties().getProperty(DIR);
        if (dir == null) {
            throw new DBException("rocksdb: property " + DIR + " is not set; give it the database directory");
        }
        boolean sync = Boolean.parseBoolean(getProperties().getProperty(SYNC, "true"));
        database = SHARED.acquire(() -> open(dir)).db();
        writeOptions = new WriteOptions().setSync(sync);
    }

    @Override
    public void cleanup() throws DBException {
        writeOptions.close();
        database = null;
        SHARED.release(RocksDbClient::close);
    }

    private static Database open(String dir) throws DBException {
        Options options = null;
        try {
            Files.createDirectories(Path.of(dir));
            RocksDB.loadLibrary();
            options = new Options()
                    .setCreateIfMissing(true)
                    .optimizeLevelStyleCompaction()
                    .setIncreaseParallelism(Runtime.getRuntime().availableProcessors());
            return new Database(RocksDB.open(options, dir), options);
        } catch (RocksDBException | IOException e) {
            if (options != null) {
                options.close();
            }
            throw new DBException("rocksdb: cannot open dir=" + dir + ": " + e.getMessage(), e);
        }
    }

    /** Flushes the memtables, waiting for the SST files, so the next open has no log to replay; then closes. */
    private static void close(Database database) throws DBException {
        try {
            try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
                database.db().flush(flush);
            } finally {
                database.db().closeE();
            }
        } catch (RocksDBException e) {
            throw new DBException("rocksdb: flush or close failed: " + e.getMessage(), e);
        } finally {
            database.options().close();
        }
    }

    @Override
    public Status read(String table, String key, Set<String> fields, Map<String, ByteIterator> result) {
        return BindingErrors.attempt("rocksdb", "read", key, () -> {
            byte[] record = database.get(keyBytes(key));
            if (record == null) {
                return Status.NOT_FOUND;
            }
            YcsbValues.copyInto(record, fields, result);
            return Status.OK;
        });
    }

    @Override
    public Status scan(String table, String startKey, int count, Set<String> fields,
                       Vector<HashMap<String, ByteIterator>> result) {
        return BindingErrors.attempt("rocksdb", "scan", startKey, () -> {
            try (RocksIterator records = database.newIterator()) {
                records.seek(keyBytes(startKey));
                for (int i = 0; i < count && records.isValid(); i++, records.next()) {
                    YcsbValues.addRecord(records.value(), fields, result);
                }
                records.status();
                return Status.OK;
            }
        });
    }

    @Override
    public Status update(String table, String key, Map<String, ByteIterator> values) {
        Map<String, byte[]> updates = YcsbValues.bytesOf(values);
        return BindingErrors.attempt("rocksdb", "update", key, () -> {
            byte[] keyBytes = keyBytes(key);
            byte[] record = database.get(keyBytes);
            if (record == null) {
                return Status.NOT_FOUND;
            }
            database.put(writeOptions, keyBytes, RecordCodec.merge(record, updates));
            return Status.OK;
        });
    }

    @Override
    public Status insert(String table, String key, Map<String, ByteIterator> values) {
        byte[] record = RecordCodec.encode(YcsbValues.bytesOf(values));
        return BindingErrors.attempt("rocksdb", "insert", key, () -> {
            database.put(writeOptions, keyBytes(key), record);
            return Status.OK;
        });
    }

    @Override
    public Status delete(String table, String key) {
        return BindingErrors.attempt("rocksdb", "delete", key, () -> {
            byte[] keyBytes = keyBytes(key);
            if (database.get(keyBytes) == null) {
                return Status.NOT_FOUND;
            }
            database.delete(writeOptions, keyBytes);
            return Status.OK;
        });
    }

    private static byte[] keyBytes(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }
}
