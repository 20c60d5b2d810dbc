package dev.hotpot.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * What the offline commands ({@code verify}, {@code gc}, {@code stats}) share: the heap they work
 * on and the writer their report goes to (the command line's, so a caller can capture it).
 */
abstract class OfflineCommand implements Callable<Integer> {
    @Mixin
    HeapArguments heap;
    @Spec
    CommandSpec spec;

    /** Where the command's report goes. */
    PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
