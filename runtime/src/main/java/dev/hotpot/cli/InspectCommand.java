package dev.hotpot.cli;

import dev.hotpot.HotpotSettings;
import dev.hotpot.heap.Heap;
import dev.hotpot.heap.HeapConfig;
import dev.hotpot.object.ObjectHeader;
import dev.hotpot.object.SchemaRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/** Opens a heap (recovering it if needed) and prints its size, roots, registered classes and object counts. */
@Command(name = "inspect", mixinStandardHelpOptions = true, description = "Print a heap's roots, classes and objects.")
final class InspectCommand implements Callable<Integer> {
    @Option(names = "--dir", description = "data folder (default: ${DEFAULT-VALUE})", defaultValue = HotpotSettings.DEFAULT_DIR)
    Path dir;
    @Parameters(index = "0", description = "heap name")
    String heapName;

    @Override
    public Integer call() {
        if (!java.nio.file.Files.isDirectory(dir.resolve(heapName))) {
            System.err.println("no heap '" + heapName + "' in " + dir);
            return HotpotCommand.EXIT_HOTPOT_ERROR;
        }
        try (Heap heap = Heap.open(HeapConfig.builder(dir, heapName).build())) {
            System.out.println("heap " + heap.name() + ": " + heap.size() + " bytes, " + heap.persistenceMode().description());
            System.out.println("recovery: " + heap.recoveryReport());
            for (String root : heap.rootNames()) {
                System.out.println("root " + root + " -> " + heap.root(root));
            }
            Map<Integer, Long> objects = new TreeMap<>();
            heap.forEachObject(address -> objects.merge(heap.getInt(address + ObjectHeader.CLASS_ID), 1L, Long::sum));
            for (SchemaRegistry.Entry entry : new SchemaRegistry(heap).entries()) {
                System.out.println("class " + entry.layout().className() + " id=" + entry.classId() + " version="
                        + entry.version() + " size=" + entry.layout().size() + " fields=" + entry.layout().fields().size()
                        + " objects=" + objects.getOrDefault(entry.classId(), 0L));
            }
        }
        return 0;
    }
}
