package dev.hotpot.coordinator;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Whether a member's process is gone, told by its data address: a live node listens there, so a
 * connection refused there means no process of it runs (it died, or restarts and does not listen
 * yet). A link that is cut drops packets rather than refusing them, and a busy node still accepts:
 * both look alive here, and only the lease can judge them.
 *
 * <p>Threading: stateless.
 */
final class AddressProbe {
    /** How long a connection attempt may take; a refusal on a reachable host comes at once. */
    static final int CONNECT_TIMEOUT_MILLIS = 250;

    private AddressProbe() {
    }

    /** Whether a connection to {@code member}'s data address is refused; one attempt, then closed. */
    static boolean refusesConnections(Member member) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(member.host(), member.port()), CONNECT_TIMEOUT_MILLIS);
            return false;
        } catch (ConnectException refused) {
            return true;
        } catch (IOException timedOutOrUnreachable) {
            return false;
        }
    }
}
