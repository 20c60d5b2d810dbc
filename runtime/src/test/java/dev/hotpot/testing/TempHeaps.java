package dev.hotpot.testing;

import dev.hotpot.Durability;
import dev.hotpot.heap.HeapConfig;

import java.nio.file.Path;

/** Configurations for test heaps: small, on disk, quick to checkpoint. */
public final class TempHeaps {
    private TempHeaps() {
    }

    public static HeapConfig.Builder small(Path dir) {
        return HeapConfig.builder(dir, "test").size(16L << 20).logSegmentBytes(256 << 10)
                .checkpointLogBytes(512 << 10).durability(Durability.SYNC);
    }
}
