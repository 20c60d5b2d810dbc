package dev.hotpot.cli;

import dev.hotpot.heap.Heap;
import dev.hotpot.heap.HeapConfig;
import dev.hotpot.object.ObjectHeader;
import dev.hotpot.object.SchemaRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/** Opens a heap (recovering it if needed) and prints its size, roots, registered classes and object counts. */
@Command(name = "inspect", mixinStandardHelpOptions = true, description = "Print a heap's roots, classes and objects.")
final class InspectCommand implements Callable<Integer> {
    @Mixin
    HeapArguments target;

    @Override
    public Integer call() {
        if (!java.nio.file.Files.isDirectory(target.heapDirectory())) {
            System.err.println("no heap '" + target.heapName + "' in " + target.dir);
            return HotpotCommand.EXIT_HOTPOT_ERROR;
        }
        try (Heap heap = Heap.open(HeapConfig.builder(target.dir, target.heapName).build())) {
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
