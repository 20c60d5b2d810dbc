package dev.hotpot.it.kv;

import dev.hotpot.samples.kv.ycsb.HotpotKvClient;
import site.ycsb.ByteIterator;
import site.ycsb.DB;
import site.ycsb.DBException;
import site.ycsb.Status;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
 * <p>Threading: one instance per YCSB thread; the file is shared under a lock.
 */
public final class RecordingKvClient extends DB {
    private static FileChannel file;

    private final HotpotKvClient store = new HotpotKvClient();

    @Override
    public void init() throws DBException {
        store.setProperties(getProperties());
        store.init();
        open(Path.of(getProperties().getProperty("record.file")));
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

    private static synchronized void open(Path path) {
        if (file == null) {
            try {
                file = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static synchronized Status witness(String operation, String key, Status status) {
        ByteBuffer line = ByteBuffer.wrap((operation + " " + status.getName() + " " + key + "\n").getBytes(StandardCharsets.UTF_8));
        try {
            while (line.hasRemaining()) {
                file.write(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return status;
    }
}
