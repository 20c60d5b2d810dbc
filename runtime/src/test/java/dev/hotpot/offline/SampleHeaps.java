package dev.hotpot.offline;

import dev.hotpot.heap.HeapImage;
import dev.hotpot.testing.ChildJvm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Heaps for the tests of the offline commands, written by {@link SampleHeapWriter} in child JVMs
 * (the default heap of a JVM opens once, and the offline tools need the heap closed). The sample
 * heap is written once per JVM under {@code target/}; tests work on copies.
 *
 * <p>Threading: {@link #samples} is safe from any thread.
 */
final class SampleHeaps {
    static final String NAME = "sample";
    private static Path samples;

    private SampleHeaps() {
    }

    /** Writes the sample heap (accounts, collections, strings, two class versions) into {@code dir}. */
    static void writeSamples(Path dir) {
        write(dir, NAME, List.of(), "samples");
        write(dir, NAME, List.of("-D" + Account.NEXT_VERSION + "=true"), "next-version");
    }

    /** A copy of the sample heap's folder in {@code dir} (its image and lock file: the closed heap's log is empty). */
    static Path copyOfSamples(Path dir) {
        Path pristine = pristineSamples();
        Path copy = dir.resolve(NAME);
        try {
            Files.createDirectories(copy);
            for (String file : List.of("heap.img", "lock")) {
                Files.copy(pristine.resolve(NAME).resolve(file), copy.resolve(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return copy;
    }

    private static synchronized Path pristineSamples() {
        if (samples == null) {
            try {
                Path target = Files.createDirectories(Path.of("target"));
                Path dir = Files.createTempDirectory(target, "sample-heaps-");
                writeSamples(dir);
                samples = dir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return samples;
    }

    /** Runs {@link SampleHeapWriter} on heap {@code name} of {@code dir} until it is done. */
    static void write(Path dir, String name, List<String> jvmOptions, String... phase) {
        List<String> args = new ArrayList<>(List.of(dir.toString(), name));
        args.addAll(List.of(phase));
        try (ChildJvm child = ChildJvm.start(jvmOptions, System.getProperty("java.class.path"),
                SampleHeapWriter.class.getName(), args.toArray(String[]::new))) {
            child.awaitSuccess(Duration.ofSeconds(90));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The bytes of every object the roots of the heap folder {@code heap} reach, by address, but
     * the extension table's (a collection drops entries of objects it frees).
     */
    static java.util.Map<Long, java.util.List<Byte>> reachableObjects(Path heap) {
        java.util.Map<Long, java.util.List<Byte>> objects = new java.util.TreeMap<>();
        try (HeapImage image = HeapImage.open(heap)) {
            HeapCheck check = HeapCheck.run(image);
            check.forEachBlock((payload, size, tag, reached, className) -> {
                if (reached && tag == dev.hotpot.heap.BlockFormat.TAG_OBJECT && payload != check.extensionTable()) {
                    List<Byte> bytes = new ArrayList<>();
                    for (byte b : image.getBytes(payload, (int) size - dev.hotpot.heap.BlockFormat.HEADER)) {
                        bytes.add(b);
                    }
                    objects.put(payload, bytes);
                }
            });
        }
        return objects;
    }

    /** A digest of every file in the heap folder {@code heap}, to show that nothing changed them. */
    static java.util.Map<String, String> digests(Path heap) {
        java.util.Map<String, String> digests = new java.util.TreeMap<>();
        try (var files = Files.walk(heap)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
                digests.put(heap.relativize(file).toString(), java.util.HexFormat.of().formatHex(hash));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return digests;
    }

    /**
     * Checks that every block reachable {@code after} a collection was reachable {@code before}
     * and that it dropped at most {@code dropped} of them (the extension table entries of the
     * objects it freed); names the differences, not the whole sets.
     */
    static void assertKeptReachable(List<Long> before, List<Long> after, int dropped, String context) {
        List<Long> gained = new ArrayList<>(after);
        gained.removeAll(before);
        List<Long> lost = new ArrayList<>(before);
        lost.removeAll(after);
        org.junit.jupiter.api.Assertions.assertTrue(gained.isEmpty() && lost.size() <= dropped, context
                + ": blocks reachable only after=" + gained + ", reachable only before=" + lost + " (at most " + dropped
                + " extension table entries may go)");
    }

    /** The payload addresses of the blocks the roots of the heap folder {@code heap} reach. */
    static List<Long> reachable(Path heap) {
        List<Long> reached = new ArrayList<>();
        try (HeapImage image = HeapImage.open(heap)) {
            HeapCheck.run(image).forEachReachable(reached::add);
        }
        return reached;
    }
}
