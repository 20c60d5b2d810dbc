package dev.hotpot.heap;

import dev.hotpot.HotpotException;
import dev.hotpot.log.Recovery;
import dev.hotpot.log.RecoveryReport;
import dev.hotpot.log.RedoLog;
import dev.hotpot.metrics.HotpotMetrics;
import dev.hotpot.tx.TransactionManager;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.function.Supplier;

/**
 * A named persistent heap: an address space of 4 KiB pages in a file, read and written with typed
 * loads and stores at {@code long} addresses (0 is null), changed atomically and durably by
 * transactions, and recovered after a crash to exactly its committed transactions.
 *
 * <p>Access rules: inside {@link #transaction} every load and store belongs to the transaction.
 * Outside one, a store is its own auto-committed transaction (slow, safe) and a load returns one
 * committed value. Addresses below page 1 are reserved; page 1, the arena pages and the arena
 * directory's blocks hold the heap's own metadata and belong to the runtime.
 *
 * <p>Threading: safe from any thread. One process holds a heap at a time ({@link HeapFile}).
 * Close it only when no transactions are running.
 */
public final class Heap implements AutoCloseable, HeapReader {
    private static final System.Logger LOG = System.getLogger(Heap.class.getName());

    private final HeapConfig config;
    private final HeapFile file;
    private final long size;
    private final RecoveryReport recovery;
    private final RedoLog log;
    private final TransactionManager transactions;
    private final Checkpointer checkpointer;
    private final Allocator allocator = new Allocator(this);
    private final Roots roots = new Roots(this);
    private volatile boolean closed;

    private Heap(HeapConfig config, HeapFile file, RecoveryReport recovery, RedoLog log, MemorySegment working,
                 HotpotMetrics metrics) {
        this.config = config;
        this.file = file;
        this.size = file.header().heapSize();
        this.recovery = recovery;
        this.log = log;
        this.checkpointer = new Checkpointer(file, log, config, metrics);
        this.transactions = new TransactionManager(working, log, config.durability(), metrics, config.maxAttempts(),
                file.header().checkpointLsn(), file.header().lastSequence(), checkpointer::nudge);
    }

    /**
     * Opens the heap {@code config.name()} in {@code config.directory()}, creating it if absent,
     * and recovers it: the log since the last checkpoint is replayed up to its first incomplete
     * record.
     *
     * @throws dev.hotpot.HeapLockedException  if another process (or this one) has it open
     * @throws dev.hotpot.HeapCorruptException if the files are not a readable heap
     */
    public static Heap open(HeapConfig config) {
        HeapFile file = HeapFile.openOrCreate(config);
        try {
            HotpotMetrics metrics = new HotpotMetrics(config.meterRegistry(), config.name());
            long segmentBytes = file.header().logSegmentBytes();
            Recovery recovery = new Recovery(file.storage(), file.logDirectory(), segmentBytes);
            RecoveryReport report = recovery.replay(file.header().checkpointLsn(), file.durableImage(),
                    config.checkpointListener());
            config.checkpointListener().replayed(report.fromLsn(), report.endLsn());
            long start = recovery.freshStart(report.endLsn());
            // Commit sequences continue across restarts: after the image's last one, or the log's.
            file.writeCheckpoint(start, Math.max(file.header().lastSequence(), report.lastSequence()));
            recovery.retireAll();
            metrics.recovery(report.nanos());
            RedoLog log = new RedoLog(file.storage(), file.logDirectory(), segmentBytes, start,
                    4 * config.checkpointLogBytes(), metrics);
            Heap heap = new Heap(config, file, report, log, file.mapWorkingCopy(), metrics);
            heap.checkpointer.start();
            LOG.log(report.tornTail() ? System.Logger.Level.WARNING : System.Logger.Level.INFO,
                    "opened heap " + config.name() + " (" + heap.size + " bytes, durability "
                            + config.durability().name().toLowerCase(java.util.Locale.ROOT) + ", "
                            + file.persistenceMode().description() + "): " + report);
            return heap;
        } catch (IOException | RuntimeException | Error e) {
            // An Error too (SIGBUS on a full disk surfaces as InternalError): the file lock must not outlive the attempt.
            try {
                file.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof RuntimeException r) {
                throw r;
            }
            if (e instanceof Error error) {
                throw error;
            }
            throw new HotpotException("cannot recover heap: directory=" + file.directory() + " (" + e
                    + "); check permissions and free disk space, nothing committed was changed", e);
        }
    }

    /**
     * Replaces the contents of the closed heap {@code config.name()} (created if absent) with an
     * image that {@code fill} writes into its page image, as of commit sequence
     * {@code lastSequence}: a cluster node catching up from its primary. The local log is
     * dropped. Not atomic: the caller marks the folder as being replaced before and clears the mark
     * after, and starts over if it finds the mark.
     */
    public static void replaceImage(HeapConfig config, long lastSequence, java.util.function.Consumer<MemorySegment> fill) {
        HeapFile file = HeapFile.openOrCreate(config);
        try {
            Recovery recovery = new Recovery(file.storage(), file.logDirectory(), file.header().logSegmentBytes());
            long start = recovery.freshStart(file.header().checkpointLsn());
            MemorySegment image = file.durableImage().memory();
            // Page 0 is the header's: the image starts at page 1.
            image.asSlice(Pages.SIZE).fill((byte) 0);
            fill.accept(image);
            file.durableImage().force(Pages.SIZE, image.byteSize() - Pages.SIZE);
            file.writeCheckpoint(start, lastSequence);
            recovery.retireAll();
        } catch (IOException e) {
            throw new HotpotException("cannot replace heap image: directory=" + file.directory() + " (" + e + ")", e);
        } finally {
            try {
                file.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "closing heap files of " + config.name() + " failed", e);
            }
        }
    }

    // ---- transactions -----------------------------------------------------------------------

    /** Runs {@code body} atomically; see {@link TransactionManager#run}. */
    public <T> T transaction(Supplier<T> body) {
        checkOpen();
        return transactions.run(body);
    }

    public void transaction(Runnable body) {
        transaction(() -> {
            body.run();
            return null;
        });
    }

    public boolean inTransaction() {
        return transactions.current() != null;
    }

    /**
     * The committed version of the page holding {@code address}, for validating reads made outside
     * a transaction; see {@link TransactionManager#committedVersion}.
     */
    public long committedVersion(long address) {
        check(address, 1);
        return transactions.committedVersion(address);
    }

    /** Runs {@code action} if the calling thread's open transaction rolls back (actions run newest first). */
    public void onRollback(Runnable action) {
        openTransaction().onRollback(action);
    }

    /**
     * Runs {@code action} when the calling thread's open transaction commits, before its pages
     * unlock. The action must not load or store heap values: this thread holds the pages locked.
     */
    public void beforeUnlock(Runnable action) {
        openTransaction().beforeUnlock(action);
    }

    /** Runs {@code action} when the calling thread's open transaction ends, before its commit or rollback actions. */
    public void onFinish(Runnable action) {
        openTransaction().onFinish(action);
    }

    /** Runs {@code action} once the calling thread's open transaction has committed. */
    public void afterCommit(Runnable action) {
        openTransaction().afterCommit(action);
    }

    /** The transaction manager, for a cluster node that routes, ships and applies this heap's commits (runtime use). */
    public TransactionManager transactionManager() {
        return transactions;
    }

    /** The redo log, for a cluster node that ships and appends this heap's records (runtime use). */
    public RedoLog redoLog() {
        return log;
    }

    private dev.hotpot.tx.Transaction openTransaction() {
        dev.hotpot.tx.Transaction tx = transactions.current();
        if (tx == null) {
            throw new IllegalStateException("no open transaction on heap=" + config.name());
        }
        return tx;
    }

    // ---- loads and stores -------------------------------------------------------------------

    public byte getByte(long address) {
        return (byte) read(address, 1);
    }

    public boolean getBoolean(long address) {
        return read(address, 1) != 0;
    }

    public short getShort(long address) {
        return (short) read(address, 2);
    }

    public char getChar(long address) {
        return (char) read(address, 2);
    }

    public int getInt(long address) {
        return (int) read(address, 4);
    }

    public float getFloat(long address) {
        return Float.intBitsToFloat((int) read(address, 4));
    }

    public long getLong(long address) {
        return read(address, 8);
    }

    public double getDouble(long address) {
        return Double.longBitsToDouble(read(address, 8));
    }

    public void putByte(long address, byte value) {
        write(address, 1, value);
    }

    public void putBoolean(long address, boolean value) {
        write(address, 1, value ? 1 : 0);
    }

    public void putShort(long address, short value) {
        write(address, 2, value);
    }

    public void putChar(long address, char value) {
        write(address, 2, value);
    }

    public void putInt(long address, int value) {
        write(address, 4, value);
    }

    public void putFloat(long address, float value) {
        write(address, 4, Float.floatToRawIntBits(value));
    }

    public void putLong(long address, long value) {
        write(address, 8, value);
    }

    public void putDouble(long address, double value) {
        write(address, 8, Double.doubleToRawLongBits(value));
    }

    public byte[] getBytes(long address, int length) {
        byte[] bytes = new byte[length];
        getBytes(address, bytes, 0, length);
        return bytes;
    }

    public void getBytes(long address, byte[] target, int offset, int length) {
        check(address, length);
        transactions.readBytes(address, MemorySegment.ofArray(target), offset, length);
    }

    public void putBytes(long address, byte[] source) {
        putBytes(address, source, 0, source.length);
    }

    public void putBytes(long address, byte[] source, int offset, int length) {
        check(address, length);
        transactions.writeBytes(address, MemorySegment.ofArray(source), offset, length);
    }

    /**
     * Loads and stores without this class's bounds check, for callers whose addresses are
     * already known to be in the heap (the agent's field accesses); hold it in a static final
     * field ({@link dev.hotpot.tx.HeapAccess}).
     */
    public dev.hotpot.tx.HeapAccess access() {
        return transactions.access();
    }

    private long read(long address, int bytes) {
        check(address, bytes);
        return transactions.read(address, bytes);
    }

    private void write(long address, int bytes, long bits) {
        check(address, bytes);
        transactions.write(address, bytes, bits);
    }

    private void check(long address, long length) {
        if (address < Pages.SIZE || length < 0 || address > size - length) {
            throw new IllegalArgumentException(address == 0 ? "null address (0) dereferenced in heap=" + config.name()
                    : "address=" + address + " length=" + length + " lies outside heap=" + config.name()
                    + " (valid: " + Pages.SIZE + " to " + size + ")");
        }
    }

    // ---- allocation, roots, schema ----------------------------------------------------------

    /** Allocates a zeroed block of at least {@code bytes} bytes, in the open or its own transaction. */
    public long allocate(long bytes) {
        return allocator.allocate(bytes);
    }

    /** As {@link #allocate}, for a block that holds a persistent object (found by heap scans). */
    public long allocateObject(long bytes) {
        return allocator.allocateObject(bytes);
    }

    public void free(long address) {
        allocator.free(address);
    }

    /** Calls {@code visitor} with the address of every persistent object, in one transaction. */
    public void forEachObject(java.util.function.LongConsumer visitor) {
        allocator.forEachObject(visitor);
    }

    public long usableSize(long address) {
        return allocator.usableSize(address);
    }

    /** The address stored under root {@code name}, or 0. */
    public long root(String name) {
        return roots.get(name);
    }

    public void setRoot(String name, long address) {
        roots.set(name, address);
    }

    public List<String> rootNames() {
        return roots.names();
    }

    // ---- state ------------------------------------------------------------------------------

    public String name() {
        return config.name();
    }

    public long size() {
        return size;
    }

    public HeapConfig config() {
        return config;
    }

    public RecoveryReport recoveryReport() {
        return recovery;
    }

    public dev.hotpot.storage.PersistenceMode persistenceMode() {
        return file.persistenceMode();
    }

    /** Bytes of redo log not yet folded into the page image. */
    public long uncheckpointedLogBytes() {
        return log.uncheckpointedBytes();
    }

    /** Forces every committed transaction to disk, whatever the durability mode. */
    public void flush() {
        checkOpen();
        log.forceAll();
    }

    /**
     * Returns once this heap shows every commit acknowledged anywhere before the call: on a cluster
     * node that is not the primary, once it has applied them; at once otherwise.
     */
    public void sync() {
        checkOpen();
        transactions.sync();
    }

    /** Folds the log into the page image now (normally done in the background). */
    public void checkpoint() {
        checkOpen();
        try {
            checkpointer.checkpoint();
        } catch (IOException e) {
            throw new HotpotException("checkpoint failed: heap=" + config.name() + " (" + e + ")", e);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("heap=" + config.name() + " is closed");
        }
    }

    /** Checkpoints everything committed and releases the heap. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            checkpointer.stop();
            checkpointer.checkpoint();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            throw new HotpotException("final checkpoint failed: heap=" + config.name() + " (" + e
                    + "); committed data is in the log and will be recovered at the next open", e);
        } finally {
            log.close();
            try {
                file.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "closing heap files of " + config.name() + " failed", e);
            }
        }
    }
}
