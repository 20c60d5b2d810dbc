package dev.hotpot.offline;

import dev.hotpot.heap.BlockFormat;
import dev.hotpot.heap.HeapImage;
import dev.hotpot.heap.Superblock;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import static dev.hotpot.offline.AllocatorCheck.hex;

/**
 * Figures about a heap, all computed from its files: size and use, blocks by tag and by size,
 * objects by class, roots, what a collection would free, and the log not yet in the image.
 *
 * <p>Threading: stateless; one call reads one heap image and its check.
 */
public final class HeapStats {
    private static final String[] TAGS = {"allocated", "object", "free"};

    private HeapStats() {
    }

    /** The report, one figure per line. */
    public static List<String> report(HeapImage image, HeapCheck check) {
        List<String> lines = new ArrayList<>();
        long size = image.size();
        long top = check.top();
        lines.add(String.format(Locale.ROOT, "heap %s: %,d bytes (%s), format %d, created %s", image.name(), size,
                mib(size), image.header().formatVersion(), Instant.ofEpochMilli(image.header().createdMillis())));
        Figures figures = new Figures();
        check.forEachBlock(figures::add);
        long carved = top - Superblock.FIRST_DATA_ADDRESS;
        long inBlocks = figures.bytes[0] + figures.bytes[1] + figures.bytes[2];
        lines.add(String.format(Locale.ROOT, "space: top %s; %,d bytes carved from the data pages, %,d never used;"
                        + " used %,d bytes, free %,d bytes, unused chunk tails %,d bytes", hex(top), carved, size - top,
                figures.bytes[0] + figures.bytes[1], figures.bytes[2], carved - inBlocks));
        for (int tag = 0; tag < TAGS.length; tag++) {
            lines.add(String.format(Locale.ROOT, "blocks %s: %,d (%,d bytes)", TAGS[tag], figures.counts[tag],
                    figures.bytes[tag]));
        }
        for (Map.Entry<Long, long[]> bySize : figures.bySize.entrySet()) {
            long[] counts = bySize.getValue();
            lines.add(String.format(Locale.ROOT, "blocks of %s bytes: %,d allocated, %,d object, %,d free",
                    bySize.getKey() > BlockFormat.CHUNK ? "more than " + BlockFormat.CHUNK : bySize.getKey().toString(),
                    counts[0], counts[1], counts[2]));
        }
        for (Map.Entry<String, long[]> byClass : figures.byClass.entrySet()) {
            long[] counts = byClass.getValue();
            lines.add(String.format(Locale.ROOT, "objects of %s: %,d (%,d bytes), %,d reachable", byClass.getKey(),
                    counts[0], counts[1], counts[2]));
        }
        for (Map.Entry<String, Long> root : check.roots().entrySet()) {
            lines.add("root " + root.getKey() + " -> " + hex(root.getValue()));
        }
        lines.add(String.format(Locale.ROOT, "reachable: %,d blocks (%,d bytes); unreachable, which gc frees: %,d blocks"
                + " (%,d bytes)", figures.reached[0], figures.reached[1], figures.garbage[0], figures.garbage[1]));
        lines.add(String.format(Locale.ROOT, "log: checkpoint lsn %d; %,d records (%,d bytes) after it, not yet in the"
                        + " image; %d segment files, %,d bytes in the log folder", image.header().checkpointLsn(),
                image.logRecords(), image.logBytes(), image.logSegments(), image.logFileBytes()));
        lines.add("structural problems: " + check.problems().size()
                + (check.problems().isEmpty() ? "" : " (hotpot verify lists them)"));
        return lines;
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }

    /** Sums of the blocks, by tag (allocated, object, free), by size and by class. */
    private static final class Figures {
        final long[] counts = new long[3];
        final long[] bytes = new long[3];
        final long[] reached = new long[2];
        final long[] garbage = new long[2];
        final TreeMap<Long, long[]> bySize = new TreeMap<>();
        final TreeMap<String, long[]> byClass = new TreeMap<>();

        void add(long payload, long size, long tag, boolean isReached, String className) {
            int kind = tag == BlockFormat.TAG_ALLOCATED ? 0 : tag == BlockFormat.TAG_OBJECT ? 1 : 2;
            counts[kind]++;
            bytes[kind] += size;
            bySize.computeIfAbsent(Math.min(size, BlockFormat.CHUNK + 1), s -> new long[3])[kind]++;
            if (kind != 2) {
                long[] sums = isReached ? reached : garbage;
                sums[0]++;
                sums[1] += size;
            }
            if (kind == 1) {
                long[] sums = byClass.computeIfAbsent(className == null ? "(unknown class)" : className, c -> new long[3]);
                sums[0]++;
                sums[1] += size;
                sums[2] += isReached ? 1 : 0;
            }
        }
    }
}
