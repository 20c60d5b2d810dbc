package dev.hotpot.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free ports on 127.0.0.1 for test nodes, below the kernel's ephemeral range: a node restarted by
 * a test must get its port back, and a port of the ephemeral range may meanwhile be taken by some
 * other connection's local end. A port is handed out once per JVM: the nodes of one test, which
 * bind their ports only later, never get overlapping pairs.
 *
 * <p>Threading: safe from any thread.
 */
public final class FreePorts {
    /** Ports are taken from {@code [LOW, HIGH)}, below Linux's default ephemeral range (32768 on). */
    private static final int LOW = 20_000;
    private static final int HIGH = 32_000;
    /** Every port handed out so far, the second port of each pair included; guarded by the class's lock. */
    private static final Set<Integer> GIVEN = new HashSet<>();

    private FreePorts() {
    }

    /** A port {@code p} such that {@code p} and {@code p + 1} are both free now (a node and its coordinator). */
    public static int pair() throws IOException {
        return pairs(1, 2);
    }

    /**
     * A port {@code p} such that, for each of {@code count} nodes {@code i}, {@code p + stride * i}
     * and the port after it are free now.
     */
    public static synchronized int pairs(int count, int stride) throws IOException {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOW, HIGH - 1 - stride * count);
            boolean all = true;
            for (int i = 0; i < count && all; i++) {
                all = free(port + stride * i) && free(port + stride * i + 1);
            }
            if (all) {
                for (int i = 0; i < count; i++) {
                    GIVEN.add(port + stride * i);
                    GIVEN.add(port + stride * i + 1);
                }
                return port;
            }
        }
        throw new IOException("no " + count + " free port pairs " + stride + " apart on 127.0.0.1 between " + LOW
                + " and " + HIGH);
    }

    /** Under the class's lock. */
    private static boolean free(int port) {
        if (GIVEN.contains(port)) {
            return false;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException taken) {
            return false;
        }
    }
}
