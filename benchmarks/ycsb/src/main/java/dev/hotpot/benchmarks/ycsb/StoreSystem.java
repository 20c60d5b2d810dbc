package dev.hotpot.benchmarks.ycsb;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The systems the comparison runs, each a YCSB binding with the settings that decide when a write
 * is durable. The load phase is not measured, so it runs every single-node system without forcing
 * writes; the data still reaches the files when the load JVM closes the store, and the run phase
 * opens it again. The clustered systems ({@link #clustered}) run against a 3-node {@link PeerCluster}
 * the harness starts, and force in their load phase too: neither can do otherwise.
 */
enum StoreSystem {
    HOTPOT_SYNC("hotpot-sync", "dev.hotpot.samples.kv.ycsb.HotpotKvClient", true, true,
            "Hotpot `KvStore` sample (a `PersistentSortedMap` of records) through the agent, one transaction per operation",
            "`hotpot.durability=sync`: the commit is forced to disk before the write returns; concurrent commits share one force",
            StoreSystem.SERIALIZABLE),
    ROCKSDB_SYNC("rocksdb-sync", RocksDbClient.class.getName(), true, false,
            "RocksDB (rocksdbjni), one column family, a record per value",
            "`WriteOptions.sync=true`: the WAL is fsynced before each write returns (group commit across threads)",
            "an update is a get, a merge and a put, not atomic across threads (as in YCSB's own binding)"),
    MVSTORE_SYNC("mvstore-sync", MvStoreClient.class.getName(), true, false,
            "H2 MVStore, one `MVMap<String, byte[]>`, no background writer, retention time 0",
            "`commit()` then `sync()` (fsync) after every write",
            "readers may see a put before its `commit()` and `sync()`; an update is a get, a merge and a put, not atomic"
                    + " across threads"),
    SQLITE_FULL("sqlite-full", SqliteClient.class.getName(), true, false,
            "SQLite (sqlite-jdbc), one table with a BLOB column per field, one connection per thread",
            "WAL mode, `synchronous=FULL`, auto-commit: each statement's commit fsyncs the WAL",
            "each statement is a transaction; one writer at a time, so with several threads writers wait in turn in"
                    + " SQLite's busy handler"),
    HOTPOT_NONE("hotpot-none", "dev.hotpot.samples.kv.ycsb.HotpotKvClient", false, true,
            "The same Hotpot binding as `hotpot-sync`",
            "`hotpot.durability=none`: never forced on commit; a crash keeps a prefix of the commits",
            StoreSystem.SERIALIZABLE),
    MEMORY("memory", InMemoryClient.class.getName(), false, false,
            "A `ConcurrentSkipListMap` in the client JVM: the volatile ceiling, YCSB's own cost",
            "none: nothing is written; the run JVM loads the records itself (no load JVM)",
            "an update replaces the record's map at once (`computeIfPresent`)"),
    HOTPOT_CLUSTER("hotpot-cluster", "dev.hotpot.samples.kv.ycsb.HotpotKvClient", true, true,
            "The same Hotpot binding on node n3 of a 3-node cluster (`replicas=3`); nodes n1 and n2 run without an"
                    + " application, and one of them is the heap's primary, through which n3 commits",
            "sync replication: the primary forces the commit's record and returns once both backups have forced it too;"
                    + " concurrent commits share forces",
            StoreSystem.SERIALIZABLE + "; reads are local loads from n3's own copy"),
    ETCD("etcd", EtcdClient.class.getName(), true, false,
            "etcd 3-member cluster through jetcd, a key per field plus a marker key per record",
            "a write is one Raft entry, acknowledged once a majority of members (the leader's included) have fsynced it"
                    + " to their write-ahead logs; etcd batches concurrent entries into one fsync",
            "an update is one transaction putting the fields if the record exists; reads are serializable, from the"
                    + " member asked, which may lag the leader");

    /** The heap of the clustered Hotpot system, on every node. */
    static final String CLUSTER_HEAP = "kv";

    /** Hotpot's concurrency (a constant, so the constants above may name it before its declaration). */
    private static final String SERIALIZABLE = "each operation is a serializable transaction, re-run on a conflict";

    final String id;
    final String dbClass;
    final boolean durable;
    final boolean needsAgent;
    final String store;
    final String durability;
    /** What readers see and whether concurrent updates of one record are atomic, for the report. */
    final String concurrency;

    StoreSystem(String id, String dbClass, boolean durable, boolean needsAgent, String store, String durability,
                String concurrency) {
        this.id = id;
        this.dbClass = dbClass;
        this.durable = durable;
        this.needsAgent = needsAgent;
        this.store = store;
        this.durability = durability;
        this.concurrency = concurrency;
    }

    static StoreSystem byId(String id) {
        for (StoreSystem system : values()) {
            if (system.id.equals(id)) {
                return system;
            }
        }
        throw new IllegalArgumentException("unknown system=" + id + "; choose from "
                + Arrays.stream(values()).map(s -> s.id).toList());
    }

    /** Whether the system runs against a 3-node cluster that the harness starts ({@link PeerCluster}). */
    boolean clustered() {
        return this == HOTPOT_CLUSTER || this == ETCD;
    }

    /** Whether the load happens inside the run JVM instead of a load JVM (the volatile ceiling). */
    boolean loadsInRunPhase() {
        return this == MEMORY;
    }

    /**
     * The binding's YCSB properties for one phase in a fresh run directory.
     *
     * @param hotpotSize size of a new Hotpot heap, for example {@code 512m}
     */
    Map<String, String> properties(Path runDir, boolean loadPhase, String hotpotSize) {
        Map<String, String> p = new LinkedHashMap<>();
        switch (this) {
            case HOTPOT_SYNC, HOTPOT_NONE -> {
                p.put("hotpot.dir", runDir.resolve("hotpot").toString());
                p.put("hotpot.heap", "kv");
                p.put("hotpot.size", hotpotSize);
                p.put("hotpot.durability", loadPhase || this == HOTPOT_NONE ? "none" : "sync");
            }
            case ROCKSDB_SYNC -> {
                p.put(RocksDbClient.DIR, runDir.resolve("rocksdb").toString());
                p.put(RocksDbClient.SYNC, String.valueOf(!loadPhase));
            }
            case MVSTORE_SYNC -> {
                p.put(MvStoreClient.FILE, runDir.resolve("mvstore").resolve("ycsb.mv.db").toString());
                p.put(MvStoreClient.SYNC, String.valueOf(!loadPhase));
            }
            case SQLITE_FULL -> {
                p.put(SqliteClient.FILE, runDir.resolve("sqlite").resolve("ycsb.db").toString());
                p.put(SqliteClient.SYNCHRONOUS, loadPhase ? "OFF" : "FULL");
            }
            case MEMORY -> p.put(InMemoryClient.PRELOAD, String.valueOf(!loadPhase));
            case HOTPOT_CLUSTER -> {
                // The folder, node id and peers come from the cluster (HotpotCluster.clientProperties).
                p.put("hotpot.heap", CLUSTER_HEAP);
                p.put("hotpot.size", hotpotSize);
                p.put("hotpot.durability", "sync");
            }
            case ETCD -> {
                // The endpoints come from the cluster (EtcdCluster.clientProperties).
            }
        }
        return p;
    }
}
