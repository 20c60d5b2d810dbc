package dev.hotpot.cli;

import dev.hotpot.HotpotException;
import dev.hotpot.heap.HeapFile;
import dev.hotpot.log.Recovery;
import dev.hotpot.storage.FileStorage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.concurrent.Callable;

/**
 * Cuts a damaged redo log at a position, as the error that refused to open the heap proposes. The
 * heap must not be open elsewhere. Every cut byte is kept in {@code log/dropped-*} files.
 */
@Command(name = "truncate-log", mixinStandardHelpOptions = true,
        description = "Cut a damaged redo log at a log position; the commits from there on are lost, their bytes kept in log/dropped-*.")
final class TruncateLogCommand implements Callable<Integer> {
    @Mixin
    HeapArguments heap;
    @Option(names = "--at", required = true, description = "the log position (lsn) to cut at, as the error named it")
    long lsn;

    @Override
    public Integer call() throws IOException {
        try (HeapFile file = HeapFile.openExisting(heap.heapDirectory(), new FileStorage())) {
            long checkpoint = file.header().checkpointLsn();
            if (lsn < checkpoint || lsn % 8 != 0) {
                throw new HotpotException("cannot cut the log of heap " + heap.heapName + " at lsn=" + lsn + ": it must be a"
                        + " multiple of 8 at or after the checkpoint lsn=" + checkpoint + " (records before it are already"
                        + " in the image)");
            }
            new Recovery(file.storage(), file.logDirectory(), file.header().logSegmentBytes()).truncateAt(lsn);
            System.out.println("cut the redo log of heap " + heap.heapName + " at lsn=" + lsn
                    + "; the bytes cut off are kept in " + file.logDirectory().resolve("dropped-*"));
        }
        return 0;
    }
}
