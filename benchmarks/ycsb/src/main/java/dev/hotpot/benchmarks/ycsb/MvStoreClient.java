package dev.hotpot.benchmarks.ycsb;

import dev.hotpot.samples.kv.RecordCodec;
import dev.hotpot.samples.kv.ycsb.YcsbValues;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import site.ycsb.ByteIterator;
import site.ycsb.DB;
import site.ycsb.DBException;
import site.ycsb.Status;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.Vector;
import java.util.concurrent.atomic.AtomicLong;

/**
 * YCSB binding of H2's MVStore, the storage engine under the H2 database, used directly: one
 * {@code MVMap<String, byte[]>} named {@value #MAP}, a record per key encoded by {@link RecordCodec}
 * as in Hotpot's key-value sample. Written here because no YCSB binding of MVStore is published.
 *
 * <p>The store is opened with auto-commit disabled (no background writer thread) and a retention
 * time of 0, so space of old chunks is reused at once; with the default retention the file grows by
 * gigabytes under a commit per write. {@code MVStore.commit()} writes a new chunk but does not
 * fsync, so with {@value #SYNC}{@code =true} (the default) every put and remove is followed by
 * {@code commit()} and {@code sync()} before it returns. With {@code false} (the harness's unmeasured
 * load phase) writes are committed every {@value #UNSYNCED_BATCH} writes, never forced, and the last
 * {@code cleanup} closes the store, which commits and writes what is left, so the next JVM opens a
 * cleanly closed file. Readers may see a put before its {@code commit()} and {@code sync()}. An update
 * reads, merges and puts the record; concurrent updates of one key are not atomic with each other.
 *
 * <p>Properties: {@value #FILE} (the store file, required), {@value #SYNC}.
 *
 * <p>Threading: YCSB makes one client per thread. The clients share one store, opened by the first
 * {@code init} and closed by the last {@code cleanup} ({@link SharedStore}); {@code MVMap} is safe
 * for concurrent use and {@code commit()} serializes concurrent committers, each commit taking every
 * change made before it.
 */
public final class MvStoreClient extends DB {
    static final String FILE = "mvstore.file";
    static final String SYNC = "mvstore.sync";
    static final String MAP = "usertable";
    static final int UNSYNCED_BATCH = 1000;

    private static final SharedStore<Store> SHARED = new SharedStore<>();
    private static final AtomicLong UNCOMMITTED_WRITES = new AtomicLong();

    private Store shared;
    private boolean sync;

    /** An open store and its one map. */
    private record Store(MVStore store, MVMap<String, byte[]> records) {
    }

    @Override
    public void init() throws DBException {
        String file = getProperties().getProperty(FILE);
        if (file == null) {
            throw new DBException("mvstore: property " + FILE + " is not set; give it the store file");
        }
        sync = Boolean.parseBoolean(getProperties().getProperty(SYNC, "true"));
        shared = SHARED.acquire(() -> open(file));
    }

    @Override
    public void cleanup() throws DBException {
        shared = null;
        SHARED.release(MvStoreClient::close);
    }

    private static Store open(String file) throws DBException {
        try {
            Files.createDirectories(Path.of(file).toAbsolutePath().getParent());
            MVStore store = new MVStore.Builder().fileName(file).autoCommitDisabled().open();
            store.setRetentionTime(0);
            return new Store(store, store.openMap(MAP));
        } catch (IOException | RuntimeException e) {
            throw new DBException("mvstore: cannot open file=" + file + ": " + e.getMessage(), e);
        }
    }

    /** Commits and writes what is not yet in the file, then closes it. */
    private static void close(Store shared) throws DBException {
        try {
            shared.store().close();
        } catch (RuntimeException e) {
            throw new DBException("mvstore: close failed: " + e.getMessage(), e);
        }
    }

    @Override
    public Status read(String table, String key, Set<String> fields, Map<String, ByteIterator> result) {
        return BindingErrors.attempt("mvstore", "read", key, () -> {
            byte[] record = shared.records().get(key);
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
        return BindingErrors.attempt("mvstore", "scan", startKey, () -> {
            Cursor<String, byte[]> cursor = shared.records().cursor(startKey);
            for (int i = 0; i < count && cursor.hasNext(); i++) {
                cursor.next();
                YcsbValues.addRecord(cursor.getValue(), fields, result);
            }
            return Status.OK;
        });
    }

    @Override
    public Status update(String table, String key, Map<String, ByteIterator> values) {
        Map<String, byte[]> updates = YcsbValues.bytesOf(values);
        return BindingErrors.attempt("mvstore", "update", key, () -> {
            byte[] record = shared.records().get(key);
            if (record == null) {
                return Status.NOT_FOUND;
            }
            shared.records().put(key, RecordCodec.merge(record, updates));
            committed();
            return Status.OK;
        });
    }

    @Override
    public Status insert(String table, String key, Map<String, ByteIterator> values) {
        byte[] record = RecordCodec.encode(YcsbValues.bytesOf(values));
        return BindingErrors.attempt("mvstore", "insert", key, () -> {
            shared.records().put(key, record);
            committed();
            return Status.OK;
        });
    }

    @Override
    public Status delete(String table, String key) {
        return BindingErrors.attempt("mvstore", "delete", key, () -> {
            if (shared.records().remove(key) == null) {
                return Status.NOT_FOUND;
            }
            committed();
            return Status.OK;
        });
    }

    /** Makes the write just done durable (sync) or commits a batch of them (no sync). */
    private void committed() {
        if (sync) {
            shared.store().commit();
            shared.store().sync();
        } else if (UNCOMMITTED_WRITES.incrementAndGet() % UNSYNCED_BATCH == 0) {
            shared.store().commit();
        }
    }
}
