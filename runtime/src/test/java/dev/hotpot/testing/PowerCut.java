package dev.hotpot.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Rebuilds a folder tracked by {@link PowerCutStorage} as a disk would hold it after a power cut
 * at the moment the tracking process stopped: each directory with the entries of its last sync,
 * each file with the bytes its forces made durable and the size of its last force (none: empty).
 * With {@code writeBack}, each page the process wrote but did not force survives with probability
 * one half, some of them torn at a 512-byte sector, as a kernel's write-back before the cut may
 * have left them.
 *
 * <p>Not thread-safe; run it after the tracking process has exited.
 */
public final class PowerCut {
    private static final int PAGE = 4096;
    private static final int SECTOR = 512;

    private final String rootId;
    private final Map<String, List<String>> listings = new HashMap<>();
    private final Map<String, Long> durableSizes = new HashMap<>();
    /** The newest id of each inode, which the live file holding that inode has. */
    private final Map<Long, String> newestIds = new HashMap<>();
    private final Path shadows;

    private PowerCut(Path journalDir) throws IOException {
        shadows = journalDir.resolve(PowerCutStorage.SHADOWS);
        String root = null;
        String journal = Files.readString(journalDir.resolve(PowerCutStorage.JOURNAL_FILE), StandardCharsets.UTF_8);
        // A kill can cut the last note short: its operation had not returned, so nothing relied on it.
        String complete = journal.substring(0, journal.lastIndexOf('\n') + 1);
        for (String line : complete.lines().toList()) {
            String[] parts = line.split(" ");
            switch (parts[0]) {
                case "root" -> root = parts[1];
                case "new" -> newestIds.put(inodeOf(parts[1]), parts[1]);
                case "force" -> durableSizes.put(parts[1], Long.parseLong(parts[4]));
                case "dir" -> listings.put(parts[1], Arrays.asList(parts).subList(2, parts.length));
                default -> throw new IllegalStateException("bad journal line: " + line);
            }
        }
        if (root == null) {
            throw new IllegalStateException("journal without a root: " + journalDir);
        }
        this.rootId = root;
    }

    /**
     * Replaces the contents of {@code root}, tracked with the journal in {@code journalDir}, by
     * what the power cut leaves; {@code writeBack} (may be null) draws which unforced pages survive.
     *
     * @return how many unforced pages were kept
     */
    public static int materialize(Path journalDir, Path root, Random writeBack) throws IOException {
        PowerCut cut = new PowerCut(journalDir);
        Map<String, Path> live = cut.liveFiles(root);
        Path rebuilt = Files.createTempDirectory(root.getParent(), ".power-cut-");
        int kept = cut.build(cut.rootId, rebuilt, live, writeBack);
        deleteContents(root);
        try (Stream<Path> entries = Files.list(rebuilt)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                Files.move(entry, root.resolve(entry.getFileName()));
            }
        }
        Files.delete(rebuilt);
        return kept;
    }

    private int build(String dirId, Path target, Map<String, Path> live, Random writeBack) throws IOException {
        int kept = 0;
        for (String entry : listings.getOrDefault(dirId, List.of())) {
            int eq = entry.lastIndexOf('=');
            String name = entry.substring(0, eq);
            String id = entry.substring(eq + 1);
            Path path = target.resolve(name);
            if (id.startsWith("D")) {
                Files.createDirectory(path);
                kept += build(id, path, live, writeBack);
            } else {
                byte[] bytes = durableBytes(id);
                Path livePath = live.get(id);
                if (writeBack != null && livePath != null) {
                    byte[] now = Files.readAllBytes(livePath);
                    kept += keepUnforcedPages(bytes, now, writeBack);
                    if (bytes.length < now.length && writeBack.nextBoolean()) {
                        bytes = Arrays.copyOf(bytes, now.length); // the size reached the disk, the pages maybe not
                        kept += keepUnforcedPages(bytes, now, writeBack);
                    }
                }
                Files.write(path, bytes);
            }
        }
        return kept;
    }

    private byte[] durableBytes(String id) throws IOException {
        long size = durableSizes.getOrDefault(id, 0L);
        Path shadow = shadows.resolve(id);
        byte[] forced = Files.exists(shadow) ? Files.readAllBytes(shadow) : new byte[0];
        return Arrays.copyOf(forced, Math.toIntExact(size));
    }

    /** Copies into {@code bytes} some of the pages where {@code now} differs, within {@code bytes}' length. */
    private static int keepUnforcedPages(byte[] bytes, byte[] now, Random writeBack) {
        int kept = 0;
        int length = Math.min(bytes.length, now.length);
        for (int page = 0; page < length; page += PAGE) {
            int end = Math.min(page + PAGE, length);
            if (Arrays.equals(bytes, page, end, now, page, end) || !writeBack.nextBoolean()) {
                continue;
            }
            boolean torn = writeBack.nextInt(4) == 0;
            for (int sector = page; sector < end; sector += SECTOR) {
                if (!torn || writeBack.nextBoolean()) {
                    System.arraycopy(now, sector, bytes, sector, Math.min(SECTOR, end - sector));
                }
            }
            kept++;
        }
        return kept;
    }

    /** The live files under {@code root} by the id they carry. */
    private Map<String, Path> liveFiles(Path root) throws IOException {
        Map<String, Path> live = new HashMap<>();
        try (Stream<Path> tree = Files.walk(root)) {
            for (Path path : (Iterable<Path>) tree::iterator) {
                if (Files.isRegularFile(path)) {
                    String id = newestIds.get(((Number) Files.getAttribute(path, "unix:ino")).longValue());
                    if (id != null) {
                        live.put(id, path);
                    }
                }
            }
        }
        return live;
    }

    private static long inodeOf(String id) {
        return Long.parseLong(id.substring(1, id.indexOf('.')));
    }

    private static void deleteContents(Path root) throws IOException {
        try (Stream<Path> tree = Files.walk(root)) {
            for (Path path : (Iterable<Path>) tree.sorted(Comparator.reverseOrder())::iterator) {
                if (!path.equals(root)) {
                    Files.delete(path);
                }
            }
        }
    }
}
