package dev.hotpot.transport;

import dev.hotpot.testing.Capturing;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static dev.hotpot.transport.Recorder.AWAIT_SECONDS;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Two TcpTransports on loopback exchange one-way frames in order and requests with their own
 * replies, in both directions and from many threads; closing a connection, from either side or
 * through its transport, fails what waits on it and tells both handlers; frames that queued while
 * a handler worked are drained with one call after the last.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TcpTransportTest {
    private static final InetSocketAddress ANY_LOOPBACK_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private final byte[] secret = secret();
    private final TcpTransport primary = new TcpTransport("primary", secret);
    private final TcpTransport backup = new TcpTransport("backup", secret);

    static byte[] secret() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return secret;
    }

    @AfterEach
    void closeTransports() {
        backup.close();
        primary.close();
    }

    private Connection connect(InboundHandler atPrimary, InboundHandler atBackup) throws IOException {
        InetSocketAddress address = primary.listen(ANY_LOOPBACK_PORT, atPrimary);
        return backup.connect("primary", address, atBackup);
    }

    @Test
    void aOneWayFrameArrivesWithItsFieldsFromTheAuthenticatedPeer() throws Exception {
        Recorder atPrimary = new Recorder();
        try (Connection toPrimary = connect(atPrimary, new Recorder())) {
            assertEquals("primary", toPrimary.peerId());
            Frame sent = Frame.oneWay(7, 3, new byte[]{1, 2, 3});
            toPrimary.send(sent);
            Recorder.Received received = atPrimary.awaitFrame();
            assertEquals(sent, received.frame());
            assertEquals("backup", received.from().peerId());
        }
    }

    @Test
    void requestsGetTheirRepliesInBothDirections() throws Exception {
        Recorder atPrimary = new Recorder(Recorder.echo()::onFrame);
        try (Connection toPrimary = connect(atPrimary, Recorder.echo())) {
            Frame reply = toPrimary.request(Frame.request(10, 4, new byte[]{9})).get(AWAIT_SECONDS, TimeUnit.SECONDS);
            assertEquals(Frame.Kind.REPLY, reply.kind());
            assertEquals(11, reply.type());
            assertEquals(4, reply.epoch());
            assertArrayEquals(new byte[]{9}, reply.payload());
            // The primary learns the connection from the request and asks back on it.
            Connection toBackup = atPrimary.awaitFrame().from();
            Frame back = toBackup.request(Frame.request(20, 5, new byte[0])).get(AWAIT_SECONDS, TimeUnit.SECONDS);
            assertEquals(21, back.type());
            assertEquals(0, back.payload().length);
        }
    }

    @Test
    void manyOneWayFramesArriveInTheOrderTheyWereSent() throws Exception {
        Recorder atPrimary = new Recorder();
        int count = 20_000;
        try (Connection toPrimary = connect(atPrimary, new Recorder())) {
            for (int i = 0; i < count; i++) {
                toPrimary.send(Frame.oneWay(i, 1, numbered(i)));
            }
            for (int i = 0; i < count; i++) {
                Frame frame = atPrimary.awaitFrame().frame();
                assertEquals(i, frame.type());
                assertArrayEquals(numbered(i), frame.payload(), "frame " + i);
            }
        }
    }

    /**
     * Both handlers answer each frame with a large one on their reader threads, so each side's
     * writes fill the other's socket while that side's reader writes too: with writes that wait for
     * room, the two readers would wait for each other for ever.
     */
    @Test
    void readerThreadsThatSendMuchToEachOtherNeverWaitForEachOther() throws Exception {
        int frames = 24;
        int size = 1 << 20;
        BlockingQueue<Frame> finished = new LinkedBlockingQueue<>();
        InboundHandler atPrimary = (from, frame) -> from.send(Frame.oneWay(frame.type() + 1, 1, frame.payload()));
        InboundHandler atBackup = (from, frame) -> {
            if (frame.type() == 1) {
                from.send(Frame.oneWay(2, 1, frame.payload()));
            } else {
                finished.add(frame);
            }
        };
        try (Connection toPrimary = connect(atPrimary, atBackup)) {
            for (int i = 0; i < frames; i++) {
                byte[] payload = new byte[size];
                ByteBuffer.wrap(payload).putInt(i);
                toPrimary.send(Frame.oneWay(0, 1, payload));
            }
            for (int i = 0; i < frames; i++) {
                Frame frame = finished.poll(AWAIT_SECONDS, TimeUnit.SECONDS);
                assertNotNull(frame, "only " + i + " of " + frames + " frames came back three hops later within "
                        + AWAIT_SECONDS + " s: the reader threads wait for each other");
                assertEquals(3, frame.type());
                assertEquals(size, frame.payload().length);
                assertEquals(i, ByteBuffer.wrap(frame.payload()).getInt(), "frame order");
            }
        }
    }

    /**
     * A reader thread's send to a peer that does not read returns at once and leaves the frame
     * waiting in memory, which the connection reports, and which the peer gets whole once it reads.
     */
    @Test
    void aReaderThreadsSendToAPeerThatDoesNotReadWaitsInMemoryUntilThePeerReads() throws Exception {
        int size = 16 << 20;
        CountDownLatch peerReads = new CountDownLatch(1);
        BlockingQueue<Boolean> backloggedAfterSend = new LinkedBlockingQueue<>();
        BlockingQueue<Connection> atPrimaryConnection = new LinkedBlockingQueue<>();
        InboundHandler atPrimary = (from, frame) -> {
            from.send(Frame.oneWay(1, 1, new byte[0]));
            from.send(Frame.oneWay(2, 1, new byte[size]));
            backloggedAfterSend.add(from.isBacklogged());
            atPrimaryConnection.add(from);
        };
        BlockingQueue<Frame> received = new LinkedBlockingQueue<>();
        InboundHandler atBackup = (from, frame) -> {
            if (frame.type() == 1) {
                // The peer stops reading here, before the large frame.
                awaitQuietly(peerReads);
            } else {
                received.add(frame);
            }
        };
        try (Connection toPrimary = connect(atPrimary, atBackup)) {
            toPrimary.send(Frame.oneWay(0, 1, new byte[0]));
            assertEquals(Boolean.TRUE, backloggedAfterSend.poll(AWAIT_SECONDS, TimeUnit.SECONDS),
                    "16 MiB fit in the sockets, or the send waited");
            Connection backlogged = atPrimaryConnection.take();
            peerReads.countDown();
            Frame frame = received.poll(AWAIT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(frame, "the queued frame never arrived");
            assertEquals(size, frame.payload().length);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(AWAIT_SECONDS);
            while (backlogged.isBacklogged() && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertFalse(backlogged.isBacklogged(), "the frame arrived, yet the sender still reports a backlog");
        }
    }

    /**
     * A sender waiting for room in the socket of a peer that does not read is released by closing
     * the connection, with a TransportException, not an unchecked exception of the selector it waits on.
     */
    @Test
    void aSenderWaitingForRoomWhenTheConnectionClosesGetsATransportException() throws Exception {
        CountDownLatch peerReads = new CountDownLatch(1);
        InboundHandler atPrimary = (from, frame) -> awaitQuietly(peerReads);
        try (Connection toPrimary = connect(atPrimary, new Recorder())) {
            toPrimary.send(Frame.oneWay(1, 1, new byte[0]));
            CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(() -> {
                try {
                    for (int i = 0; i < 64; i++) {
                        toPrimary.send(Frame.oneWay(2, 1, new byte[1 << 20]));
                    }
                    return null;
                } catch (RuntimeException e) {
                    return e;
                }
            });
            // 64 MiB do not fit in the sockets: the sender waits for room until the close.
            Thread.sleep(500);
            assertFalse(outcome.isDone(), "64 MiB went into sockets whose reader does not read");
            toPrimary.close();
            Throwable failure = outcome.get(AWAIT_SECONDS, TimeUnit.SECONDS);
            assertInstanceOf(TransportException.class, failure);
        } finally {
            peerReads.countDown();
        }
    }

    @Test
    void framesThatQueuedWhileTheHandlerWorkedAreDrainedOnceAfterTheLast() throws Exception {
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        CountDownLatch release = new CountDownLatch(1);
        InboundHandler batching = new InboundHandler() {
            @Override
            public void onFrame(Connection from, Frame frame) {
                events.add("frame " + frame.type());
                if (frame.type() == 0) {
                    awaitQuietly(release);
                }
            }

            @Override
            public void onDrained(Connection connection) {
                events.add("drained");
            }
        };
        try (Connection toPrimary = connect(batching, new Recorder())) {
            toPrimary.send(Frame.oneWay(0, 1, numbered(0)));
            assertEquals("frame 0", events.poll(AWAIT_SECONDS, TimeUnit.SECONDS));
            for (int i = 1; i <= 5; i++) {
                toPrimary.send(Frame.oneWay(i, 1, numbered(i)));
            }
            // The five frames are in the handler's socket by now, while it still works on the first.
            Thread.sleep(200);
            release.countDown();
            assertEquals(List.of("frame 1", "frame 2", "frame 3", "frame 4", "frame 5", "drained"), take(events, 6));
            toPrimary.send(Frame.oneWay(6, 1, numbered(6)));
            assertEquals(List.of("frame 6", "drained"), take(events, 2));
        }
    }

    private static List<String> take(BlockingQueue<String> events, int count) throws InterruptedException {
        List<String> taken = new ArrayList<>();
        while (taken.size() < count) {
            String event = events.poll(AWAIT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(event, "only " + taken + " within " + AWAIT_SECONDS + " s");
            taken.add(event);
        }
        return taken;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(AWAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts with {@code i}; now and then larger than the read buffer, so that frames straddle reads. */
    private static byte[] numbered(int i) {
        byte[] payload = new byte[i % 1000 == 0 ? 200_000 : 4 + i % 300];
        ByteBuffer.wrap(payload).putInt(i);
        payload[payload.length - 1] = (byte) i;
        return payload;
    }

    @Test
    void concurrentRequestsFromManyThreadsGetTheirOwnReplies() throws Exception {
        int threads = 8;
        int perThread = 2_000;
        try (Connection toPrimary = connect(Recorder.echo(), new Recorder())) {
            ConcurrentLinkedQueue<Throwable> thrown = new ConcurrentLinkedQueue<>();
            List<Thread> requesters = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                requesters.add(Thread.ofPlatform().start(Capturing.failuresOf(() -> {
                    for (int i = 0; i < perThread; i++) {
                        byte[] payload = ByteBuffer.allocate(8).putInt(thread).putInt(i).array();
                        Frame reply = toPrimary.request(Frame.request(thread, 0, payload)).join();
                        assertEquals(thread + 1, reply.type());
                        assertArrayEquals(payload, reply.payload(), "thread " + thread + ", request " + i);
                    }
                }, thrown)));
            }
            for (Thread requester : requesters) {
                assertTrue(requester.join(Duration.ofSeconds(AWAIT_SECONDS)), "requests did not finish");
            }
            assertEquals(List.of(), List.copyOf(thrown));
        }
    }

    @Test
    void closingAConnectionFailsItsPendingRequestsAndTellsBothSides() throws Exception {
        Recorder atPrimary = new Recorder();
        Recorder atBackup = new Recorder();
        Connection toPrimary = connect(atPrimary, atBackup);
        List<CompletableFuture<Frame>> pending = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            pending.add(toPrimary.request(Frame.request(i, 0, new byte[0])));
        }
        for (int i = 0; i < 10; i++) {
            atPrimary.awaitFrame();
        }
        assertTrue(pending.stream().noneMatch(CompletableFuture::isDone), "nobody replied yet");
        toPrimary.close();
        for (CompletableFuture<Frame> request : pending) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> request.get(AWAIT_SECONDS, TimeUnit.SECONDS));
            assertInstanceOf(TransportException.class, e.getCause());
        }
        assertFalse(toPrimary.isOpen());
        assertNull(atBackup.awaitClosed().cause(), "closed by this side");
        Recorder.Closing atPrimaryEnd = atPrimary.awaitClosed();
        assertEquals("backup", atPrimaryEnd.connection().peerId());
        assertInstanceOf(TransportException.class, atPrimaryEnd.cause(), "the peer closed it");
        assertThrows(TransportException.class, () -> toPrimary.send(Frame.oneWay(1, 0, new byte[0])));
        CompletableFuture<Frame> late = toPrimary.request(Frame.request(1, 0, new byte[0]));
        assertInstanceOf(TransportException.class, assertThrows(ExecutionException.class,
                () -> late.get(AWAIT_SECONDS, TimeUnit.SECONDS)).getCause());
    }

    @Test
    void aPeerThatClosesFailsTheRequestsWaitingOnIt() throws Exception {
        Recorder atPrimary = new Recorder();
        Recorder atBackup = new Recorder();
        Connection toPrimary = connect(atPrimary, atBackup);
        CompletableFuture<Frame> request = toPrimary.request(Frame.request(1, 0, new byte[0]));
        atPrimary.awaitFrame().from().close();
        assertInstanceOf(TransportException.class, assertThrows(ExecutionException.class,
                () -> request.get(AWAIT_SECONDS, TimeUnit.SECONDS)).getCause());
        assertNotNull(atBackup.awaitClosed().cause());
        assertFalse(toPrimary.isOpen());
    }

    @Test
    void aHandlerThatThrowsClosesItsConnection() throws Exception {
        IllegalStateException bug = new IllegalStateException("handler bug");
        Recorder atPrimary = new Recorder((from, frame) -> {
            throw bug;
        });
        Recorder atBackup = new Recorder();
        Connection toPrimary = connect(atPrimary, atBackup);
        toPrimary.send(Frame.oneWay(1, 0, new byte[0]));
        assertSame(bug, atPrimary.awaitClosed().cause());
        assertNotNull(atBackup.awaitClosed().cause());
        assertFalse(toPrimary.isOpen());
    }

    @Test
    void closingATransportClosesItsListenersAndConnections() throws Exception {
        Recorder atBackup = new Recorder();
        InetSocketAddress address = primary.listen(ANY_LOOPBACK_PORT, new Recorder());
        Connection toPrimary = backup.connect("primary", address, atBackup);
        primary.close();
        assertNotNull(atBackup.awaitClosed().cause());
        assertFalse(toPrimary.isOpen());
        assertThrows(IOException.class, () -> backup.connect("primary", address, new Recorder()));
        assertThrows(TransportException.class, () -> primary.listen(ANY_LOOPBACK_PORT, new Recorder()));
    }

    @Test
    void framesOfTheWrongKindAreRefusedBeforeSending() throws Exception {
        try (Connection toPrimary = connect(new Recorder(), new Recorder())) {
            Frame request = Frame.request(1, 0, new byte[0]);
            assertThrows(IllegalArgumentException.class, () -> toPrimary.send(request));
            assertThrows(IllegalArgumentException.class, () -> toPrimary.request(Frame.oneWay(1, 0, new byte[0])));
            assertThrows(IllegalArgumentException.class,
                    () -> toPrimary.request(new Frame(Frame.Kind.REQUEST, 1, 0, 5, new byte[0])));
            assertThrows(IllegalArgumentException.class, () -> toPrimary.reply(Frame.oneWay(1, 0, new byte[0]), 1, 0,
                    new byte[0]));
            assertTrue(toPrimary.isOpen());
        }
    }
}
