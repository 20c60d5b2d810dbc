package dev.hotpot.benchmarks.ycsb;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipFile;

/**
 * Looks for a class on a class path without loading it, so the harness can warn before it starts a
 * child JVM that would fail to find its binding.
 *
 * <p>Threading: stateless.
 */
final class ClassPathScan {
    private ClassPathScan() {
    }

    /** Whether a directory or jar of {@code classpath} has the class file of {@code className}. */
    static boolean contains(String classpath, String className) {
        String entry = className.replace('.', '/') + ".class";
        for (String element : classpath.split(File.pathSeparator)) {
            Path path = Path.of(element);
            if (Files.isDirectory(path) && Files.isRegularFile(path.resolve(entry))) {
                return true;
            }
            if (Files.isRegularFile(path) && element.endsWith(".jar") && jarHas(path, entry)) {
                return true;
            }
        }
        return false;
    }

    private static boolean jarHas(Path jar, String entry) {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return zip.getEntry(entry) != null;
        } catch (IOException e) {
            // Not a readable jar: the child JVM skips it as well.
            return false;
        }
    }
}
