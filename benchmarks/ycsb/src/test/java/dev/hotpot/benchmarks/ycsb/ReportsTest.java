package dev.hotpot.benchmarks.ycsb;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportsTest {
    private static final Setup SETUP = new Setup("2026-01-01T10:00:00", 2, "Linux 6.1 amd64", "25.0.3 (Eclipse Adoptium)",
            "/tmp/hotpot-ycsb", "ext4 (/dev/vda)", 1000, 10, 100_000_000, List.of(1, 8),
            Map.of("a", "update heavy (50% reads, 50% updates of one field), zipfian requests"), 0);

    private static List<RunResult> results() {
        List<RunResult> results = new ArrayList<>();
        PhaseResult load = CannedOutput.phase("[OVERALL], Throughput(ops/sec), 9000.0\n[INSERT], Operations, 1000\n"
                + "[INSERT], Return=OK, 1000\n", PhaseResult.Goal.load(1000), "a-x-load.txt");
        results.add(new RunResult("a", StoreSystem.HOTPOT_SYNC, 1, load, CannedOutput.run(2000, 6000, 2, 15, 250, 900)));
        results.add(new RunResult("a", StoreSystem.HOTPOT_SYNC, 8, load, CannedOutput.run(2000, 24000, 3, 40, 310, 1800)));
        results.add(new RunResult("a", StoreSystem.ROCKSDB_SYNC, 1, load, CannedOutput.run(2000, 4000, 4, 20, 260, 1100)));
        results.add(new RunResult("a", StoreSystem.ROCKSDB_SYNC, 8, load,
                CannedOutput.phase(CannedOutput.WORKLOAD_A_WITH_ERRORS, PhaseResult.Goal.run(2, 100_000_000), "a-rocksdb-sync-8t-run.txt")));
        results.add(new RunResult("a", StoreSystem.HOTPOT_NONE, 1, load, CannedOutput.run(20000, 100000, 1.5, 9, 3, 20)));
        results.add(new RunResult("a", StoreSystem.MEMORY, 1, null, CannedOutput.run(20000, 400000, 1, 4, 1, 6)));
        results.add(new RunResult("a", StoreSystem.SQLITE_FULL, 1,
                CannedOutput.phase(CannedOutput.UNKNOWN_BINDING, PhaseResult.Goal.load(1000), "a-sqlite-full-1t-load.txt"), null));
        return results;
    }

    @Test
    void markdownHasTheSettingATableRowPerRunTheRatiosAndEveryFailure() {
        String md = MarkdownReport.render(SETUP, results());

        assertTrue(md.contains("- Machine: 2 cores, Linux 6.1 amd64"), md);
        assertTrue(md.contains("`/tmp/hotpot-ycsb` on ext4 (/dev/vda)"), md);
        assertTrue(md.contains("- Run phase: 10 s per run for every system (YCSB `maxexecutiontime`), or until 100000000"
                + " operations (`operationcount`) if that comes first"), md);
        assertTrue(md.contains("the run JVM's JIT warm-up (for Hotpot, compiling the agent-rewritten code) and opening the"
                + " store are inside the 10 s of every run, for every system"), md);
        assertFalse(md.contains("Operations per run"), md);
        assertTrue(md.contains("`memory` loads its records inside the run JVM before the clock starts, which also warms"), md);
        assertTrue(md.contains("| rocksdb-sync | RocksDB (rocksdbjni), one column family, a record per value | `WriteOptions.sync=true`"), md);
        assertTrue(md.contains("| an update is a get, a merge and a put, not atomic across threads (as in YCSB's own binding) |"), md);
        assertTrue(md.contains("| each operation is a serializable transaction, re-run on a conflict |"), md);
        assertTrue(md.contains("## Workload A: update heavy (50% reads, 50% updates of one field), zipfian requests"), md);
        assertTrue(md.contains("| system | threads | throughput (ops/s) | READ p50 / p99 (µs) | UPDATE p50 / p99 (µs) | errors |"), md);
        assertTrue(md.contains("| hotpot-sync | 1 | 6,000 | 2 / 15 | 250 / 900 | 0 |"), md);
        assertTrue(md.contains("| hotpot-none | 1 | 100,000 | 1.5 / 9 | 3 / 20 | 0 |"), md);
        assertTrue(md.contains("| rocksdb-sync | 8 | 500 | 25 / 90 | 450 / 3,000 | 12 (failed, see below) |"), md);
        assertTrue(md.contains("| sqlite-full | 1 | – | – | – | – (failed, see below) |"), md);

        assertTrue(md.contains("Workload A, hotpot-sync / rocksdb-sync: 1.50× at 1 thread, n/a at 8 threads."), md);
        assertTrue(md.contains("| A | 1 | 1.50× | 0.25× |"), md);
        assertTrue(md.contains("| A | 8 | n/a | n/a |"), md);

        assertTrue(md.contains("- workload a, rocksdb-sync, 8 threads (`raw/a-rocksdb-sync-8t-run.txt`):"), md);
        assertTrue(md.contains("  - `run: operations that did not return OK: READ NOT_FOUND=10, UPDATE ERROR=2`"), md);
        assertTrue(md.contains("  - `load: java.lang.ClassNotFoundException: dev.hotpot.samples.kv.ycsb.HotpotKvClient`"), md);
        assertTrue(md.contains("  - `load: inserted 0 of 1000 records`"), md);
        assertTrue(md.contains("  - `run: not started because the load failed`"), md);
    }

    @Test
    void markdownWarnsWhenTheDataDirectoryIsOnARamFileSystem() {
        Setup tmpfs = new Setup("d", 2, "os", "jdk", "/dev/shm/x", "tmpfs (tmpfs)", 1, 1, 1, List.of(1), Map.of(), 0);

        assertTrue(MarkdownReport.render(tmpfs, results()).contains("RAM file system"));
    }

    @Test
    void svgIsWellFormedWithABarPerFigureAndACrossPerMissingOne() throws Exception {
        String svg = SvgChart.render(SETUP, results());
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));

        assertEquals("svg", doc.getDocumentElement().getTagName());
        NodeList rects = doc.getElementsByTagName("rect");
        int hotpotSyncBars = 0;
        int failedBars = 0;
        for (int i = 0; i < rects.getLength(); i++) {
            Element rect = (Element) rects.item(i);
            if (rect.getAttribute("class").equals("bar")
                    && rect.getAttribute("fill").equals(SvgChart.color(StoreSystem.HOTPOT_SYNC))) {
                hotpotSyncBars++;
            }
            if (rect.getAttribute("stroke").equals("red")) {
                failedBars++;
            }
        }
        // Throughput at 1 and 8 threads, READ and UPDATE latency at 1 and 8 threads.
        assertEquals(6, hotpotSyncBars);
        // rocksdb-sync at 8 threads: throughput, READ and UPDATE latency drawn but marked failed.
        assertEquals(3, failedBars);
        assertTrue(svg.contains("sqlite-full, A: no figure"), "the failed sqlite run is a cross");
        assertTrue(svg.contains("hotpot-sync, A READ: p50 2 µs, p99 15 µs"), "tooltips carry the figures");
    }
}
