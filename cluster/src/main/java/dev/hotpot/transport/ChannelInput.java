package dev.hotpot.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * The input of a connection whose channel is in non-blocking mode, for its one reader thread:
 * reads fill a buffer from the channel and wait for data on a selector of their own. While it
 * waits, the reader thread also writes out the frames other threads could not write without
 * blocking: it is told so by {@link #wantWritable}, and calls {@code onWritable} once the socket
 * takes bytes again.
 *
 * <p>Invariants: bytes are returned in the order the channel delivered them, the bytes left over
 * from the handshake first; {@link #available} never blocks.
 *
 * <p>Threading: the reads, {@link #available} and {@link #close} are for the reader thread (close
 * also from any thread once the channel is closed); {@link #wantWritable} is safe from any thread.
 */
final class ChannelInput extends InputStream {
    private final SocketChannel channel;
    private final ByteBuffer buffer;
    private final Selector selector;
    private final SelectionKey key;
    private final Runnable onWritable;
    /** Whether the last read found the socket empty: the next one waits for data first. */
    private boolean socketEmpty;

    /**
     * @param channel    in non-blocking mode
     * @param leftover   bytes read from the channel before it became non-blocking, returned first
     * @param onWritable called on the reader thread when the socket takes bytes again after {@link #wantWritable}
     */
    ChannelInput(SocketChannel channel, byte[] leftover, int bufferSize, Runnable onWritable) throws IOException {
        this.channel = channel;
        this.buffer = ByteBuffer.allocate(Math.max(bufferSize, leftover.length));
        this.buffer.put(leftover).flip();
        this.onWritable = onWritable;
        this.selector = Selector.open();
        try {
            this.key = channel.register(selector, SelectionKey.OP_READ);
        } catch (IOException | RuntimeException e) {
            selector.close();
            throw e;
        }
    }

    @Override
    public int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        return buffer.get() & 0xFF;
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(length, buffer.remaining());
        buffer.get(target, offset, n);
        return n;
    }

    /** The bytes buffered, after one read of what waits in the socket if none are: never blocks. */
    @Override
    public int available() throws IOException {
        if (!buffer.hasRemaining() && readSome() < 0) {
            return 0;
        }
        return buffer.remaining();
    }

    /** Asks the reader thread to call {@code onWritable} once the socket takes bytes. */
    void wantWritable() {
        try {
            key.interestOpsOr(SelectionKey.OP_WRITE);
            selector.wakeup();
        } catch (RuntimeException closed) {
            // The key is cancelled or the selector closed: the connection is closing, nothing to write for.
        }
    }

    /** Stops asking for {@code onWritable}: the frames waiting for room are written. */
    void writableNoLongerWanted() {
        try {
            key.interestOpsAnd(~SelectionKey.OP_WRITE);
        } catch (RuntimeException closed) {
            // As in wantWritable.
        }
    }

    @Override
    public void close() throws IOException {
        selector.close();
    }

    /** Makes bytes available, waiting for them if none are; false at the end of the stream. */
    private boolean fill() throws IOException {
        while (!buffer.hasRemaining()) {
            if (socketEmpty) {
                select(true);
            } else if (key.isValid() && (key.interestOps() & SelectionKey.OP_WRITE) != 0) {
                // Data keeps coming, so the reader may not wait for a while: frames waiting for room
                // go out now if they can.
                select(false);
            }
            if (readSome() < 0) {
                return false;
            }
        }
        return true;
    }

    /** Reads what the socket holds into the empty buffer, without waiting; -1 at the end of the stream. */
    private int readSome() throws IOException {
        buffer.clear();
        int n = channel.read(buffer);
        buffer.flip();
        socketEmpty = n == 0;
        return n;
    }

    /**
     * Writes the frames that wait for room if the socket has some; with {@code wait}, first waits
     * until the socket has data or that room.
     */
    private void select(boolean wait) throws IOException {
        if (wait && Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException("the reader thread of a connection was interrupted");
        }
        try {
            int ready = wait ? selector.select() : selector.selectNow();
            if (ready > 0 && key.isValid() && key.isWritable()) {
                onWritable.run();
            }
            selector.selectedKeys().clear();
        } catch (ClosedSelectorException e) {
            throw new IOException("connection closed", e);
        }
    }
}
