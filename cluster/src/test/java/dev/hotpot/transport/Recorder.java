package dev.hotpot.transport;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * An {@link InboundHandler} for tests: keeps what arrives for the test thread to await, and
 * optionally answers frames.
 *
 * <p>Threading: the handler methods run on reader threads; the await methods on the test thread.
 */
final class Recorder implements InboundHandler {
    static final long AWAIT_SECONDS = 20;

    /** The end of one connection and its cause (null when this side closed it). */
    record Closing(Connection connection, Throwable cause) {
    }

    /** A received frame and the connection it came on. */
    record Received(Connection from, Frame frame) {
    }

    private final BlockingQueue<Received> frames = new LinkedBlockingQueue<>();
    private final BlockingQueue<Closing> closings = new LinkedBlockingQueue<>();
    private final BiConsumer<Connection, Frame> answer;

    /** Keeps what arrives and answers nothing. */
    Recorder() {
        this((from, frame) -> {
        });
    }

    /** Keeps what arrives, then calls {@code answer} with it on the reader thread. */
    Recorder(BiConsumer<Connection, Frame> answer) {
        this.answer = answer;
    }

    /** Answers every request with a reply of type + 1 and the same payload; keeps nothing. */
    static InboundHandler echo() {
        return (from, frame) -> {
            if (frame.kind() == Frame.Kind.REQUEST) {
                from.reply(frame, frame.type() + 1, frame.epoch(), frame.payload());
            }
        };
    }

    @Override
    public void onFrame(Connection from, Frame frame) {
        frames.add(new Received(from, frame));
        answer.accept(from, frame);
    }

    @Override
    public void onClosed(Connection connection, Throwable cause) {
        closings.add(new Closing(connection, cause));
    }

    Received awaitFrame() throws InterruptedException {
        Received received = frames.poll(AWAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(received, "no frame within " + AWAIT_SECONDS + " s");
        return received;
    }

    Closing awaitClosed() throws InterruptedException {
        Closing closing = closings.poll(AWAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(closing, "no connection closed within " + AWAIT_SECONDS + " s");
        return closing;
    }

    /** Whether nothing at all reached the handler: no frame and no closing. */
    boolean untouched() {
        return frames.isEmpty() && closings.isEmpty();
    }
}
