package dev.hotpot.it.kv;

import dev.hotpot.Hotpot;
import dev.hotpot.samples.kv.KvStore;
import site.ycsb.measurements.Measurements;
import site.ycsb.workloads.CoreWorkload;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeSet;

/**
 * A child JVM (with the agent) that compares a store YCSB filled with what YCSB must have written:
 * the keys of records 0 to n-1 in the workload's key order, each with the workload's field count
 * and field length, returned in key order by full and partial scans. Prints "content ok" or fails.
 *
 * <p>Arguments: workload file, record count of the load, inserts acknowledged by the run.
 */
public final class KvContentCheck {
    private KvContentCheck() {
    }

    public static void main(String[] args) throws Exception {
        Properties workload = properties(Path.of(args[0]));
        long records = Long.parseLong(args[1]) + Long.parseLong(args[2]);
        List<String> expected = new ArrayList<>(new TreeSet<>(expectedKeys(workload, records)));
        KvStore store = Hotpot.root("usertable", KvStore.class, () -> {
            throw new IllegalStateException("the store YCSB loaded is missing");
        });
        List<Map.Entry<String, Map<String, byte[]>>> all = store.scan("", Integer.MAX_VALUE, null);
        List<String> keys = all.stream().map(Map.Entry::getKey).toList();
        require(keys.equals(expected), "the store holds " + keys.size() + " keys, expected " + expected.size()
                + " in key order; first difference at " + firstDifference(keys, expected));
        int fieldCount = Integer.parseInt(workload.getProperty("fieldcount"));
        int fieldLength = Integer.parseInt(workload.getProperty("fieldlength"));
        for (Map.Entry<String, Map<String, byte[]>> record : all) {
            require(record.getValue().size() == fieldCount, record.getKey() + " has " + record.getValue().size() + " fields");
            record.getValue().forEach((name, value) ->
                    require(value.length == fieldLength, record.getKey() + "." + name + " has " + value.length + " bytes"));
        }
        Random random = new Random(records);
        for (int i = 0; i < 200; i++) {
            int from = random.nextInt(expected.size());
            int count = 1 + random.nextInt(100);
            List<String> scanned = store.scan(expected.get(from), count, null).stream().map(Map.Entry::getKey).toList();
            require(scanned.equals(expected.subList(from, Math.min(expected.size(), from + count))),
                    "scan from " + expected.get(from) + " count " + count + " returned " + scanned);
        }
        System.out.println("content ok records=" + keys.size());
    }

    /** The key names YCSB gives records 0 to {@code count - 1} under the workload's settings. */
    static List<String> expectedKeys(Properties workload, long count) throws Exception {
        Measurements.setProperties(workload);
        KeyNames names = new KeyNames();
        names.init(workload);
        List<String> keys = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            keys.add(names.name(i));
        }
        return keys;
    }

    static Properties properties(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        }
        return properties;
    }

    private static int firstDifference(List<String> actual, List<String> expected) {
        int i = 0;
        while (i < actual.size() && i < expected.size() && actual.get(i).equals(expected.get(i))) {
            i++;
        }
        return i;
    }

    private static void require(boolean condition, String failure) {
        if (!condition) {
            throw new AssertionError(failure);
        }
    }

    /** Exposes YCSB's key naming, which is protected. */
    private static final class KeyNames extends CoreWorkload {
        String name(long keyNumber) {
            return buildKeyName(keyNumber);
        }
    }
}
