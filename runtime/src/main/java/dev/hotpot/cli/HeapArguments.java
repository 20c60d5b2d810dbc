package dev.hotpot.cli;

import dev.hotpot.HotpotSettings;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;

/** The heap a command works on: a data folder ({@code --dir}) and a heap name. A picocli mixin. */
final class HeapArguments {
    @Option(names = "--dir", description = "data folder (default: ${DEFAULT-VALUE})", defaultValue = HotpotSettings.DEFAULT_DIR)
    Path dir;
    @Parameters(index = "0", description = "heap name")
    String heapName;

    /** The heap's own folder. */
    Path heapDirectory() {
        return dir.resolve(heapName);
    }
}
