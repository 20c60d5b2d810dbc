package dev.hotpot.benchmarks.ycsb;

import dev.hotpot.samples.kv.ycsb.YcsbValues;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import site.ycsb.ByteIterator;
import site.ycsb.DB;
import site.ycsb.DBException;
import site.ycsb.Status;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Vector;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * YCSB binding of etcd through jetcd. A record is one etcd key per field, {@code table NUL key NUL
 * field}, plus a marker key {@code table NUL key NUL} that says the record exists; NUL sorts below
 * every other byte, so the keys of a record lie together and records lie in the order of their keys,
 * which a scan reads in one range.
 *
 * <p>Each write is one etcd request and so one Raft entry, acknowledged by etcd once a majority of
 * members have it in their fsynced write-ahead logs: an insert is a transaction putting the marker
 * and every field; an update is a transaction that puts only the fields it names, if the marker
 * exists (no read first); a delete is a transaction that deletes the record's keys if the marker
 * exists. Inserting a record again sets the fields it names and keeps any others. Reads and scans
 * are serializable: the member the request reaches answers from its own copy, without asking the
 * leader, as a Hotpot node reads its own copy; a member may lag the leader, so a read may miss a
 * write acknowledged elsewhere a moment before.
 *
 * <p>Property: {@value #ENDPOINTS}, the members' client URLs separated by commas (required); jetcd
 * spreads requests over them, and a member that is not the leader forwards writes to it.
 *
 * <p>Threading: YCSB makes one client per thread. The clients of a JVM share one jetcd
 * {@link Client} (safe from any thread), made by the first {@code init} and closed by the last
 * {@code cleanup} ({@link SharedStore}).
 */
public final class EtcdClient extends DB {
    static final String ENDPOINTS = "etcd.endpoints";
    /** How long one request may take before the operation counts as an error. */
    private static final long TIMEOUT_SECONDS = 30;
    /** Keys read per range request of a scan. */
    private static final int SCAN_PAGE = 1024;
    private static final byte SEPARATOR = 0;
    private static final SharedStore<Client> SHARED = new SharedStore<>();

    private KV kv;

    @Override
    public void init() throws DBException {
        String endpoints = getProperties().getProperty(ENDPOINTS);
        if (endpoints == null || endpoints.isBlank()) {
            throw new DBException("etcd: property " + ENDPOINTS + " is not set; give the members' client URLs,"
                    + " e.g. http://127.0.0.1:2379");
        }
        kv = SHARED.acquire(() -> Client.builder().endpoints(endpoints.split(",")).build()).getKVClient();
    }

    @Override
    public void cleanup() throws DBException {
        kv = null;
        SHARED.release(Client::close);
    }

    @Override
    public Status read(String table, String key, Set<String> fields, Map<String, ByteIterator> result) {
        return attempt("read", key, () -> {
            ByteSequence prefix = recordPrefix(table, key);
            GetResponse found = await(kv.get(prefix, GetOption.builder().isPrefix(true).withSerializable(true).build()));
            if (found.getKvs().isEmpty()) {
                return Status.NOT_FOUND;
            }
            Map<String, byte[]> values = new LinkedHashMap<>();
            for (KeyValue field : found.getKvs()) {
                putField(values, field, prefix.size());
            }
            YcsbValues.copyInto(values, fields, result);
            return Status.OK;
        });
    }

    @Override
    public Status scan(String table, String startKey, int count, Set<String> fields,
                       Vector<HashMap<String, ByteIterator>> result) {
        return attempt("scan", startKey, () -> {
            ByteSequence end = bytes(table).concat(ByteSequence.from(new byte[] {SEPARATOR + 1}));
            ByteSequence from = bytes(table).concat(ByteSequence.from(new byte[] {SEPARATOR})).concat(bytes(startKey));
            int tableLength = bytes(table).size() + 1;
            String current = null;
            Map<String, byte[]> values = new LinkedHashMap<>();
            while (result.size() < count) {
                GetResponse page = await(kv.get(from, GetOption.builder().withRange(end).withLimit(SCAN_PAGE)
                        .withSerializable(true).build()));
                for (KeyValue field : page.getKvs()) {
                    byte[] name = field.getKey().getBytes();
                    int keyEnd = indexOf(name, SEPARATOR, tableLength);
                    String record = new String(name, tableLength, keyEnd - tableLength, StandardCharsets.UTF_8);
                    if (!record.equals(current)) {
                        if (current != null) {
                            YcsbValues.addRecord(values, fields, result);
                            values = new LinkedHashMap<>();
                            if (result.size() == count) {
                                return Status.OK;
                            }
                        }
                        current = record;
                    }
                    putField(values, field, keyEnd + 1);
                }
                if (!page.isMore() || page.getKvs().isEmpty()) {
                    break;
                }
                from = page.getKvs().getLast().getKey().concat(ByteSequence.from(new byte[] {SEPARATOR}));
            }
            if (current != null && result.size() < count) {
                YcsbValues.addRecord(values, fields, result);
            }
            return Status.OK;
        });
    }

    @Override
    public Status update(String table, String key, Map<String, ByteIterator> values) {
        Op[] puts = puts(table, key, YcsbValues.bytesOf(values), false);
        return attempt("update", key, () -> ifExists(table, key, puts));
    }

    @Override
    public Status insert(String table, String key, Map<String, ByteIterator> values) {
        Op[] puts = puts(table, key, YcsbValues.bytesOf(values), true);
        return attempt("insert", key, () -> {
            await(kv.txn().Then(puts).commit());
            return Status.OK;
        });
    }

    @Override
    public Status delete(String table, String key) {
        return attempt("delete", key, () -> ifExists(table, key,
                Op.delete(recordPrefix(table, key), DeleteOption.builder().isPrefix(true).build())));
    }

    /** Runs {@code ops} in one transaction if the record's marker exists; NOT_FOUND, changing nothing, if not. */
    private Status ifExists(String table, String key, Op... ops) throws Exception {
        Cmp exists = new Cmp(recordPrefix(table, key), Cmp.Op.GREATER, CmpTarget.version(0));
        return await(kv.txn().If(exists).Then(ops).commit()).isSucceeded() ? Status.OK : Status.NOT_FOUND;
    }

    /** A put per field, and of the record's marker first with {@code marker}. */
    private static Op[] puts(String table, String key, Map<String, byte[]> fields, boolean marker) {
        ByteSequence prefix = recordPrefix(table, key);
        List<Op> ops = new ArrayList<>(fields.size() + 1);
        if (marker) {
            ops.add(Op.put(prefix, ByteSequence.EMPTY, PutOption.DEFAULT));
        }
        for (Map.Entry<String, byte[]> field : fields.entrySet()) {
            ops.add(Op.put(prefix.concat(bytes(field.getKey())), ByteSequence.from(field.getValue()), PutOption.DEFAULT));
        }
        return ops.toArray(Op[]::new);
    }

    /** Adds the field stored at {@code kv}, whose name starts at {@code nameOffset}; skips the marker. */
    private static void putField(Map<String, byte[]> values, KeyValue kv, int nameOffset) {
        byte[] name = kv.getKey().getBytes();
        if (name.length > nameOffset) {
            values.put(new String(name, nameOffset, name.length - nameOffset, StandardCharsets.UTF_8),
                    kv.getValue().getBytes());
        }
    }

    /** {@code table NUL key NUL}: the record's marker, and the prefix of its fields. */
    private static ByteSequence recordPrefix(String table, String key) {
        byte[] t = table.getBytes(StandardCharsets.UTF_8);
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        byte[] prefix = Arrays.copyOf(t, t.length + k.length + 2);
        System.arraycopy(k, 0, prefix, t.length + 1, k.length);
        return ByteSequence.from(prefix);
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return bytes.length;
    }

    private static <T> T await(CompletableFuture<T> request) throws Exception {
        return request.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /** One etcd request and its outcome. */
    private interface Body {
        Status run() throws Exception;
    }

    /**
     * Runs one operation; a failure (a timeout, a member out of reach, an error from etcd) is
     * reported on standard error and counted by YCSB as an error.
     */
    private static Status attempt(String operation, String key, Body body) {
        try {
            return body.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Status.ERROR;
        } catch (Exception e) {
            System.err.println("etcd: " + operation + " of key=" + key + " failed: " + e);
            return Status.ERROR;
        }
    }
}
