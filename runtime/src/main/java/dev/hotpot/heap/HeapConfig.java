package dev.hotpot.heap;

import dev.hotpot.ConfigurationException;
import dev.hotpot.Durability;
import dev.hotpot.storage.FileStorage;
import dev.hotpot.storage.Storage;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything needed to open a heap, validated once by {@link Builder#build()}.
 *
 * <p>Threading: immutable.
 *
 * @param directory          folder that holds one sub-folder per heap
 * @param name               heap name; the heap lives in {@code directory/name}
 * @param sizeBytes          size of a new heap; an existing heap keeps the size it was created with
 * @param durability         when commits are forced
 * @param asyncFlushInterval upper bound on the time a commit waits for its force with {@code ASYNC}
 * @param logSegmentBytes    size of one redo log segment; bounds the bytes one transaction may change
 * @param checkpointLogBytes log volume after which a background checkpoint starts
 * @param maxAttempts        how often a conflicting transaction runs before it gives up
 * @param meterRegistry      where metrics go
 * @param checkpointListener observes checkpoint progress (tests use it to crash inside one)
 * @param storage            how the heap's files are created, mapped and forced
 */
public record HeapConfig(
        Path directory,
        String name,
        long sizeBytes,
        Durability durability,
        Duration asyncFlushInterval,
        long logSegmentBytes,
        long checkpointLogBytes,
        int maxAttempts,
        MeterRegistry meterRegistry,
        CheckpointListener checkpointListener,
        Storage storage) {

    public static final long DEFAULT_SIZE = 256L << 20;
    public static final long MIN_SIZE = 1L << 20;
    public static final long DEFAULT_LOG_SEGMENT = 64L << 20;
    public static final long DEFAULT_CHECKPOINT_LOG = 32L << 20;

    public HeapConfig {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(durability, "durability");
        Objects.requireNonNull(asyncFlushInterval, "asyncFlushInterval");
        Objects.requireNonNull(meterRegistry, "meterRegistry");
        Objects.requireNonNull(checkpointListener, "checkpointListener");
        Objects.requireNonNull(storage, "storage");
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}")) {
            throw new ConfigurationException("heap name=" + name
                    + " is not valid; use 1-100 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        if (sizeBytes < MIN_SIZE || sizeBytes % Pages.SIZE != 0 || sizeBytes / Pages.SIZE > Integer.MAX_VALUE) {
            throw new ConfigurationException("heap size=" + sizeBytes + " is not valid; use a multiple of "
                    + Pages.SIZE + " bytes between " + MIN_SIZE + " and " + (Pages.SIZE * (long) Integer.MAX_VALUE));
        }
        if (logSegmentBytes < (1 << 16) || logSegmentBytes % Pages.SIZE != 0) {
            throw new ConfigurationException("logSegmentBytes=" + logSegmentBytes
                    + " is not valid; use a multiple of " + Pages.SIZE + " of at least 64 KiB");
        }
        if (checkpointLogBytes < Pages.SIZE) {
            throw new ConfigurationException("checkpointLogBytes=" + checkpointLogBytes + " is too small; use at least " + Pages.SIZE);
        }
        if (maxAttempts < 1) {
            throw new ConfigurationException("maxAttempts=" + maxAttempts + " must be at least 1");
        }
        if (asyncFlushInterval.isNegative() || asyncFlushInterval.isZero()) {
            throw new ConfigurationException("asyncFlushInterval=" + asyncFlushInterval + " must be positive");
        }
    }

    /** This configuration with another heap size (a cluster heap takes the size its catalog has). */
    public HeapConfig withSize(long bytes) {
        return new HeapConfig(directory, name, bytes, durability, asyncFlushInterval, logSegmentBytes, checkpointLogBytes,
                maxAttempts, meterRegistry, checkpointListener, storage);
    }

    /** This configuration with another meter registry. */
    public HeapConfig withMeterRegistry(MeterRegistry registry) {
        return new HeapConfig(directory, name, sizeBytes, durability, asyncFlushInterval, logSegmentBytes, checkpointLogBytes,
                maxAttempts, registry, checkpointListener, storage);
    }

    /** This configuration with another checkpoint listener. */
    public HeapConfig withCheckpointListener(CheckpointListener listener) {
        return new HeapConfig(directory, name, sizeBytes, durability, asyncFlushInterval, logSegmentBytes, checkpointLogBytes,
                maxAttempts, meterRegistry, listener, storage);
    }

    /** The folder of this heap: {@code directory/name}. */
    public Path heapDirectory() {
        return directory.resolve(name);
    }

    public static Builder builder(Path directory, String name) {
        return new Builder(directory, name);
    }

    /** Collects settings; defaults are those a single-node user wants. Not thread-safe. */
    public static final class Builder {
        private final Path directory;
        private final String name;
        private long sizeBytes = DEFAULT_SIZE;
        private Durability durability = Durability.SYNC;
        private Duration asyncFlushInterval = Duration.ofMillis(10);
        private long logSegmentBytes = DEFAULT_LOG_SEGMENT;
        private long checkpointLogBytes = DEFAULT_CHECKPOINT_LOG;
        private int maxAttempts = 100;
        private MeterRegistry meterRegistry;
        private CheckpointListener checkpointListener = CheckpointListener.NONE;
        private Storage storage = new FileStorage();

        private Builder(Path directory, String name) {
            this.directory = directory;
            this.name = name;
        }

        public Builder size(long bytes) {
            this.sizeBytes = bytes;
            return this;
        }

        public Builder durability(Durability durability) {
            this.durability = durability;
            return this;
        }

        public Builder asyncFlushInterval(Duration interval) {
            this.asyncFlushInterval = interval;
            return this;
        }

        public Builder logSegmentBytes(long bytes) {
            this.logSegmentBytes = bytes;
            return this;
        }

        public Builder checkpointLogBytes(long bytes) {
            this.checkpointLogBytes = bytes;
            return this;
        }

        public Builder maxAttempts(int attempts) {
            this.maxAttempts = attempts;
            return this;
        }

        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = registry;
            return this;
        }

        public Builder checkpointListener(CheckpointListener listener) {
            this.checkpointListener = listener;
            return this;
        }

        public Builder storage(Storage storage) {
            this.storage = storage;
            return this;
        }

        public HeapConfig build() {
            return new HeapConfig(directory, name, sizeBytes, durability, asyncFlushInterval, logSegmentBytes,
                    checkpointLogBytes, maxAttempts,
                    meterRegistry == null ? new SimpleMeterRegistry() : meterRegistry, checkpointListener, storage);
        }
    }
}
