package dev.hotpot.transport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static dev.hotpot.transport.Recorder.AWAIT_SECONDS;
import static org.junit.jupiter.api.Assertions.*;

/**
 * A peer that does not prove the cluster secret (a wrong one, none, garbage, silence) is refused
 * before any frame reaches a handler, the refusal is logged at WARNING with the remote address
 * and reason and counted, and the listener goes on serving honest peers. A connection closed or
 * reset before its first byte (a check that the node listens) is no refusal.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TcpAuthenticationTest {
    private static final InetSocketAddress ANY_LOOPBACK_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    /** Held strongly: java.util.logging keeps loggers only weakly, and with them their handlers. */
    private static final Logger TRANSPORT_LOG = Logger.getLogger(TcpTransport.class.getName());

    private final byte[] secret = TcpTransportTest.secret();
    private final List<TcpTransport> transports = new ArrayList<>();
    private final BlockingQueue<LogRecord> warnings = new LinkedBlockingQueue<>();
    private final Handler warningsHandler = collecting(warnings, Level.WARNING);

    private final Recorder atPrimary = new Recorder(Recorder.echo()::onFrame);
    private TcpTransport primary;
    private InetSocketAddress address;

    /** A log handler that adds every record of level {@code least} or above to {@code records}. */
    private static Handler collecting(BlockingQueue<LogRecord> records, Level least) {
        return new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= least.intValue()) {
                    records.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
    }

    @BeforeEach
    void listen() throws IOException {
        TRANSPORT_LOG.addHandler(warningsHandler);
        primary = transport("primary", secret);
        address = primary.listen(ANY_LOOPBACK_PORT, atPrimary);
    }

    @AfterEach
    void closeAll() {
        TRANSPORT_LOG.removeHandler(warningsHandler);
        transports.forEach(TcpTransport::close);
    }

    private TcpTransport transport(String id, byte[] secretOrNull, Duration handshakeTimeout) {
        TcpTransport transport = new TcpTransport(id, secretOrNull, handshakeTimeout);
        transports.add(transport);
        return transport;
    }

    private TcpTransport transport(String id, byte[] secretOrNull) {
        return transport(id, secretOrNull, TcpTransport.DEFAULT_HANDSHAKE_TIMEOUT);
    }

    @Test
    void aPeerWithAnotherSecretIsRefused() throws Exception {
        Recorder atIntruder = new Recorder();
        TcpTransport intruder = transport("backup", TcpTransportTest.secret());
        HandshakeException e = assertThrows(HandshakeException.class, () -> intruder.connect("primary", address, atIntruder));
        assertTrue(e.getMessage().contains("closed the connection during the handshake"), e.getMessage());
        assertRefusedAtPrimary("peer=backup did not prove the cluster secret");
        assertEquals(1, intruder.refusedConnections());
        assertTrue(atIntruder.untouched());
        assertPrimaryServesAnHonestPeer();
    }

    @Test
    void aPeerWithoutASecretIsRefusedByAListenerWithOne() throws Exception {
        TcpTransport intruder = transport("backup", null);
        assertThrows(HandshakeException.class, () -> intruder.connect("primary", address, new Recorder()));
        assertRefusedAtPrimary("(this node has one)");
        assertPrimaryServesAnHonestPeer();
    }

    @Test
    void aListenerWithoutASecretIsRefusedByAPeerWithOne() throws Exception {
        Recorder atOpen = new Recorder();
        TcpTransport open = transport("open", null);
        InetSocketAddress openAddress = open.listen(ANY_LOOPBACK_PORT, atOpen);
        assertThrows(HandshakeException.class, () -> primary.connect("open", openAddress, new Recorder()));
        assertRefused(open, atOpen, "(this node has none)");
    }

    @Test
    void nodesWithoutASecretConnectAndExchangeIds() throws Exception {
        Recorder atOpen = new Recorder(Recorder.echo()::onFrame);
        TcpTransport open = transport("open", null);
        InetSocketAddress openAddress = open.listen(ANY_LOOPBACK_PORT, atOpen);
        try (Connection connection = transport("also-open", null).connect("open", openAddress, new Recorder())) {
            connection.request(Frame.request(1, 0, new byte[0])).get(AWAIT_SECONDS, TimeUnit.SECONDS);
            assertEquals("also-open", atOpen.awaitFrame().from().peerId());
        }
        assertEquals(0, open.refusedConnections());
    }

    @Test
    void garbageInsteadOfAHandshakeIsRefused() throws Exception {
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            byte[] garbage = new byte[200];
            new Random(42).nextBytes(garbage);
            garbage[0] = 0;
            socket.getOutputStream().write(garbage);
            LogRecord warning = assertRefusedAtPrimary("not a Hotpot handshake: magic=0x");
            assertTrue(warning.getMessage().contains(":" + socket.getLocalPort()), "names the remote address: "
                    + warning.getMessage());
        }
        assertPrimaryServesAnHonestPeer();
    }

    @Test
    void aConnectionClosedBeforeItsFirstByteIsNoRefusal() throws Throwable {
        assertClosedUnheard(() -> new Socket(address.getAddress(), address.getPort()).close(),
                "closed the connection before it sent a byte");
    }

    @Test
    void aConnectionResetBeforeItsFirstByteIsNoRefusal() throws Throwable {
        assertClosedUnheard(() -> {
            Socket socket = new Socket(address.getAddress(), address.getPort());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(AWAIT_SECONDS);
            while (socket.getInputStream().available() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertTrue(socket.getInputStream().available() > 0, "the listener's hello did not arrive");
            socket.setSoLinger(true, 0); // an abortive close: a reset, not an orderly end
            socket.close();
        }, "reset the connection before it sent a byte");
    }

    /** A check that this node listens is no intruder: logged at DEBUG with {@code message}, not counted, no warning. */
    private void assertClosedUnheard(Executable connectAndClose, String message) throws Throwable {
        BlockingQueue<LogRecord> debug = new LinkedBlockingQueue<>();
        Handler debugHandler = collecting(debug, Level.ALL);
        Level before = TRANSPORT_LOG.getLevel();
        TRANSPORT_LOG.setLevel(Level.FINE);
        TRANSPORT_LOG.addHandler(debugHandler);
        try {
            connectAndClose.execute();
            LogRecord record;
            do {
                record = debug.poll(AWAIT_SECONDS, TimeUnit.SECONDS);
                assertNotNull(record, "the closed connection was not seen within " + AWAIT_SECONDS + " s");
            } while (!record.getMessage().contains(message));
            assertEquals(Level.FINE, record.getLevel());
        } finally {
            TRANSPORT_LOG.removeHandler(debugHandler);
            TRANSPORT_LOG.setLevel(before);
        }
        assertEquals(0, primary.refusedConnections());
        assertTrue(warnings.isEmpty(), "no warning: " + warnings);
        assertPrimaryServesAnHonestPeer();
    }

    @Test
    void aSilentPeerIsRefusedWhenTheHandshakeTimesOut() throws Exception {
        Recorder atImpatient = new Recorder(Recorder.echo()::onFrame);
        TcpTransport impatient = transport("impatient", secret, Duration.ofMillis(300));
        InetSocketAddress impatientAddress = impatient.listen(ANY_LOOPBACK_PORT, atImpatient);
        try (Socket socket = new Socket(impatientAddress.getAddress(), impatientAddress.getPort())) {
            assertRefused(impatient, atImpatient, "handshakeTimeout=300ms");
            assertEquals(HandshakeDescriptor.HELLO_HEADER_LENGTH + "impatient".length(), readUntilEnd(socket).length);
        }
        assertTrue(atImpatient.untouched());
    }

    @Test
    void aPeerWithoutTheSecretLearnsNothingButTheListenersHello() throws Exception {
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            socket.getOutputStream().write(HandshakeDescriptor.hello(new byte[32],
                    "mallory".getBytes(StandardCharsets.UTF_8)).array());
            socket.getOutputStream().write(new byte[HandshakeDescriptor.PROOF_LENGTH]);
            byte[] received = readUntilEnd(socket);
            assertRefusedAtPrimary("peer=mallory did not prove the cluster secret");
            assertEquals(HandshakeDescriptor.HELLO_HEADER_LENGTH + "primary".length(), received.length,
                    "the hello and not one byte more");
            ByteBuffer hello = ByteBuffer.wrap(received).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(HandshakeDescriptor.MAGIC, hello.getInt(HandshakeDescriptor.MAGIC_OFFSET));
            assertEquals("primary", new String(received, HandshakeDescriptor.ID_OFFSET, "primary".length(),
                    StandardCharsets.UTF_8));
        }
    }

    @Test
    void aListenerThatIsAnotherNodeThanAskedIsRefused() throws Exception {
        TcpTransport backup = transport("backup", secret);
        HandshakeException e = assertThrows(HandshakeException.class, () -> backup.connect("other", address, new Recorder()));
        assertTrue(e.getMessage().contains("node=primary but expected peer=other"), e.getMessage());
        assertEquals(1, backup.refusedConnections());
        // The connector left before proving anything; the listener refuses that too.
        assertRefusedAtPrimary("closed the connection during the handshake");
    }

    @Test
    void badIdsAndAnEmptySecretAreRefusedWhenTheTransportIsMade() {
        assertThrows(IllegalArgumentException.class, () -> new TcpTransport("", secret));
        assertThrows(IllegalArgumentException.class, () -> new TcpTransport("n".repeat(256), secret));
        assertThrows(IllegalArgumentException.class, () -> new TcpTransport("node", new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new TcpTransport("node", secret, Duration.ZERO));
    }

    private LogRecord assertRefusedAtPrimary(String reason) throws InterruptedException {
        return assertRefused(primary, atPrimary, reason);
    }

    /** Awaits the listener's refusal warning, checks it was counted and that the handler saw nothing. */
    private LogRecord assertRefused(TcpTransport listener, Recorder handler, String reason) throws InterruptedException {
        LogRecord warning = awaitWarning(reason);
        assertTrue(warning.getMessage().startsWith("refused connection with /127.0.0.1:"), warning.getMessage());
        assertEquals(1, listener.refusedConnections());
        assertTrue(handler.untouched(), "no frame and no closing reached the handler");
        return warning;
    }

    private LogRecord awaitWarning(String containing) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(AWAIT_SECONDS);
        List<String> others = new ArrayList<>();
        for (long left; (left = deadline - System.nanoTime()) > 0; ) {
            LogRecord warning = warnings.poll(left, TimeUnit.NANOSECONDS);
            if (warning != null && warning.getMessage().contains(containing)) {
                return warning;
            }
            if (warning != null) {
                others.add(warning.getMessage());
            }
        }
        return fail("no warning containing \"" + containing + "\" within " + AWAIT_SECONDS + " s; others: " + others);
    }

    private void assertPrimaryServesAnHonestPeer() throws Exception {
        try (Connection connection = transport("backup", secret).connect("primary", address, new Recorder())) {
            Frame reply = connection.request(Frame.request(1, 0, new byte[]{7})).get(AWAIT_SECONDS, TimeUnit.SECONDS);
            assertArrayEquals(new byte[]{7}, reply.payload());
        }
    }

    private static byte[] readUntilEnd(Socket socket) throws IOException {
        socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(AWAIT_SECONDS));
        InputStream in = socket.getInputStream();
        return in.readAllBytes();
    }
}
