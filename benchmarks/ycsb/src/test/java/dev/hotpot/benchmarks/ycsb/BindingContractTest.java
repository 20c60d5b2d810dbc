package dev.hotpot.benchmarks.ycsb;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import site.ycsb.ByteIterator;
import site.ycsb.DB;
import site.ycsb.Status;
import site.ycsb.StringByteIterator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.Vector;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The semantics every peer binding must share, checked in-process on each of them; etcd's on one
 * local member, started once for the class, and skipped with the reason printed when there is no
 * {@code etcd} on the PATH.
 */
class BindingContractTest {
    private static final String TABLE = "usertable";
    private static EtcdCluster etcd;
    private static Path etcdDir;

    enum Binding {
        ROCKSDB(StoreSystem.ROCKSDB_SYNC), MVSTORE(StoreSystem.MVSTORE_SYNC), SQLITE(StoreSystem.SQLITE_FULL),
        MEMORY(StoreSystem.MEMORY), ETCD(StoreSystem.ETCD);

        final StoreSystem system;

        Binding(StoreSystem system) {
            this.system = system;
        }

        DB open(Path dir) throws Exception {
            return open(dir, false);
        }

        DB open(Path dir, boolean loadPhase) throws Exception {
            DB db = (DB) Class.forName(system.dbClass).getDeclaredConstructor().newInstance();
            Properties properties = new Properties();
            properties.putAll(system.properties(dir, loadPhase, "64m"));
            properties.setProperty(InMemoryClient.PRELOAD, "false");
            if (system == StoreSystem.ETCD) {
                properties.putAll(etcd().clientProperties());
            }
            db.setProperties(properties);
            db.init();
            return db;
        }
    }

    /** The shared etcd member, started at the first call; skips the test if there is no etcd. */
    private static synchronized EtcdCluster etcd() throws Exception {
        if (etcd == null) {
            if (EtcdCluster.binary().isEmpty()) {
                String reason = "no etcd on the PATH (apt-get install etcd-server): the etcd binding is not tested";
                System.out.println("BindingContractTest: skipped: " + reason);
                Assumptions.abort(reason);
            }
            etcdDir = Files.createTempDirectory("etcd-contract");
            etcd = EtcdCluster.start(1, etcdDir, etcdDir.resolve("logs"));
        }
        return etcd;
    }

    @AfterAll
    static void stopEtcd() throws IOException {
        if (etcd != null) {
            etcd.close();
            RunDirectory.delete(etcdDir);
        }
    }

    @ParameterizedTest
    @EnumSource(Binding.class)
    void readsUpdatesScansAndDeletesLikeEveryOtherBinding(Binding binding, @TempDir Path dir) throws Exception {
        // The memory binding's map is shared by the JVM: keys unique to this test, scans kept inside them.
        String p = "t" + System.nanoTime() + "-";
        DB db = binding.open(dir);
        try {
            for (int i = 1; i <= 5; i++) {
                assertEquals(Status.OK, db.insert(TABLE, p + "user" + i, values("field0", "a" + i, "field1", "b" + i)));
            }
            Map<String, ByteIterator> all = new HashMap<>();
            assertEquals(Status.OK, db.read(TABLE, p + "user2", null, all));
            assertEquals(Map.of("field0", "a2", "field1", "b2"), strings(all));

            Map<String, ByteIterator> one = new HashMap<>();
            assertEquals(Status.OK, db.read(TABLE, p + "user2", Set.of("field1"), one));
            assertEquals(Map.of("field1", "b2"), strings(one));

            assertEquals(Status.NOT_FOUND, db.read(TABLE, p + "user9", null, new HashMap<>()));
            assertEquals(Status.NOT_FOUND, db.update(TABLE, p + "user9", values("field0", "x")));

            assertEquals(Status.OK, db.update(TABLE, p + "user3", values("field1", "B3")));
            Map<String, ByteIterator> updated = new HashMap<>();
            assertEquals(Status.OK, db.read(TABLE, p + "user3", null, updated));
            assertEquals(Map.of("field0", "a3", "field1", "B3"), strings(updated));

            Vector<HashMap<String, ByteIterator>> scanned = new Vector<>();
            assertEquals(Status.OK, db.scan(TABLE, p + "user2", 3, null, scanned));
            assertEquals(List.of("a2", "a3", "a4"), scanned.stream().map(r -> r.get("field0").toString()).toList());

            Vector<HashMap<String, ByteIterator>> fromBetween = new Vector<>();
            assertEquals(Status.OK, db.scan(TABLE, p + "user25", 2, Set.of("field1"), fromBetween));
            assertEquals(List.of(Map.of("field1", "B3"), Map.of("field1", "b4")), fromBetween.stream().map(BindingContractTest::strings).toList());

            assertEquals(Status.OK, db.delete(TABLE, p + "user4"));
            assertEquals(Status.NOT_FOUND, db.read(TABLE, p + "user4", null, new HashMap<>()));
            assertEquals(Status.NOT_FOUND, db.delete(TABLE, p + "user4"));
        } finally {
            db.cleanup();
        }
        if (binding.system.durable) {
            DB reopened = binding.open(dir);
            try {
                Map<String, ByteIterator> again = new HashMap<>();
                assertEquals(Status.OK, reopened.read(TABLE, p + "user3", null, again), "kept after close");
                assertEquals(Map.of("field0", "a3", "field1", "B3"), strings(again));
                assertEquals(Status.NOT_FOUND, reopened.read(TABLE, p + "user4", null, new HashMap<>()));
            } finally {
                reopened.cleanup();
            }
        }
    }

    /**
     * YCSB opens the store inside the measured run time, so the load JVM must leave nothing for the
     * run JVM's open to replay: RocksDB's write-ahead log and SQLite's WAL are empty after the last
     * close of an unsynced load, and MVStore's last close commits the writes not yet in a batch.
     */
    @ParameterizedTest
    @EnumSource(value = Binding.class, names = {"ROCKSDB", "MVSTORE", "SQLITE"})
    void theLastCleanupOfAnUnsyncedLoadLeavesNoLogToReplay(Binding binding, @TempDir Path dir) throws Exception {
        DB first = binding.open(dir, true);
        DB second = binding.open(dir, true);
        for (int i = 0; i < 10; i++) {
            assertEquals(Status.OK, (i % 2 == 0 ? first : second).insert(TABLE, "user" + i, values("field0", "v" + i)));
        }
        first.cleanup();
        second.cleanup();

        assertEquals(Map.of(), logBytes(dir), "log files left with bytes to replay");
        DB reopened = binding.open(dir);
        try {
            for (int i = 0; i < 10; i++) {
                Map<String, ByteIterator> read = new HashMap<>();
                assertEquals(Status.OK, reopened.read(TABLE, "user" + i, null, read), "user" + i + " kept");
                assertEquals(Map.of("field0", "v" + i), strings(read));
            }
        } finally {
            reopened.cleanup();
        }
    }

    /** Write-ahead log files under {@code dir} that are not empty, with their sizes. */
    private static Map<String, Long> logBytes(Path dir) throws IOException {
        Map<String, Long> logs = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String name = file.getFileName().toString();
                if ((name.endsWith(".log") || name.endsWith("-wal")) && Files.size(file) > 0) {
                    logs.put(dir.relativize(file).toString(), Files.size(file));
                }
            }
        }
        return logs;
    }

    private static Map<String, ByteIterator> values(String... namesAndValues) {
        Map<String, String> strings = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            strings.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return StringByteIterator.getByteIteratorMap(strings);
    }

    private static Map<String, String> strings(Map<String, ByteIterator> values) {
        Map<String, String> strings = new HashMap<>();
        values.forEach((k, v) -> strings.put(k, v.toString()));
        return strings;
    }
}
