package dev.hotpot.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes the frames of one connection to its non-blocking channel, in the order they were handed
 * over, from whichever thread holds the write lock: the caller itself when it gets the lock, the
 * holder of the lock otherwise, or the connection's reader thread once the socket has room again.
 *
 * <p>A thread that {@link #neverBlocks} (the transport's reader threads), and any write that may
 * not wait, never waits, neither for the lock nor for room in the socket: what the socket does
 * not take stays queued, and the caller learns that it must ask the reader thread for a flush. So
 * a handler may send and reply from its reader thread without two peers' readers ever waiting for
 * each other. Every other write returns once its own frame is written whole (backpressure), as
 * with a blocking socket.
 *
 * <p>Invariants: frames go out whole, one after the other, in the order of {@link #write} calls
 * (for one thread, the order of its calls); after a {@code write} or {@link #flush} returns false,
 * frames wait in the queue and the caller must have the reader flush; one that returns true either
 * left nothing queued or left the queue to a lock holder, which checks it after it unlocks.
 *
 * <p>Threading: safe from any thread.
 */
final class FrameWriter implements AutoCloseable {
    private static final ThreadLocal<Boolean> NEVER_BLOCKS = ThreadLocal.withInitial(() -> false);

    /** Marks the calling thread as one that must never wait for a write: a transport reader thread. */
    static void neverBlocks() {
        NEVER_BLOCKS.set(true);
    }

    private final SocketChannel channel;
    private final Queue<ByteBuffer[]> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock lock = new ReentrantLock();
    /** The frame being written, perhaps in part; guarded by lock, read without it only to see whether one is. */
    private volatile ByteBuffer[] head;
    /** Bytes the socket has taken so far; written under lock. */
    private volatile long sentBytes;
    /** Waits for room in the socket, for a thread that may block; used under lock. */
    private final Selector room;

    FrameWriter(SocketChannel channel) throws IOException {
        this.channel = channel;
        this.room = Selector.open();
        try {
            channel.register(room, SelectionKey.OP_WRITE);
        } catch (IOException | RuntimeException e) {
            room.close();
            throw e;
        }
    }

    /**
     * Writes one frame, given as its buffers; waits for room in the socket only if {@code mayWait}
     * and the calling thread is not one that {@link #neverBlocks}.
     *
     * @return false if frames are left queued and the reader thread must flush them when the socket has room
     * @throws IOException if the channel fails or closes; and, for a thread interrupted while it waits for room,
     *                     a {@link ClosedByInterruptException} (its interrupt status stays set), as a blocking
     *                     channel would throw
     */
    boolean write(ByteBuffer[] frame, boolean mayWait) throws IOException {
        queue.add(frame);
        if (!mayWait || NEVER_BLOCKS.get()) {
            return flush();
        }
        lock.lock();
        try {
            while (!drain() && !written(frame)) {
                awaitRoom();
            }
        } finally {
            lock.unlock();
        }
        return !isBacklogged();
    }

    /**
     * Writes what the socket takes now of the queued frames, unless another thread holds the lock.
     *
     * @return false if frames are left queued for the next flush
     */
    boolean flush() throws IOException {
        if (!lock.tryLock()) {
            return true;
        }
        try {
            drain();
        } finally {
            lock.unlock();
        }
        return !isBacklogged();
    }

    @Override
    public void close() throws IOException {
        room.close();
    }

    /** Writes queued frames until none is left or the socket is full; true when none is left. Under lock. */
    private boolean drain() throws IOException {
        while (true) {
            ByteBuffer[] frame = head;
            if (frame == null) {
                frame = queue.poll();
                if (frame == null) {
                    return true;
                }
                head = frame;
            }
            sentBytes += channel.write(frame);
            if (!written(frame)) {
                return false;
            }
            head = null;
        }
    }

    /** How many bytes the socket has taken so far. */
    long sentBytes() {
        return sentBytes;
    }

    /** Whether frames wait for room in the socket. */
    boolean isBacklogged() {
        return head != null || !queue.isEmpty();
    }

    private void awaitRoom() throws IOException {
        if (Thread.currentThread().isInterrupted()) {
            throw new ClosedByInterruptException();
        }
        try {
            room.select();
            room.selectedKeys().clear();
        } catch (ClosedSelectorException closed) {
            throw new AsynchronousCloseException();
        }
    }

    private static boolean written(ByteBuffer[] frame) {
        for (ByteBuffer buffer : frame) {
            if (buffer.hasRemaining()) {
                return false;
            }
        }
        return true;
    }
}
