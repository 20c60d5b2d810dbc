package dev.hotpot.benchmarks.ycsb;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Picks ports on 127.0.0.1 that nothing listens on, in pairs of consecutive ports: a Hotpot peer
 * listens on its port and its coordinator on the next, an etcd member takes one for clients and the
 * next for its peers. Every port stays bound until all pairs are picked, so no two pairs overlap; a
 * process of someone else may still take a port between the pick and its use.
 *
 * <p>Threading: stateless.
 */
final class FreePorts {
    private static final int ATTEMPTS = 100;

    private FreePorts() {
    }

    /** The first ports of {@code count} pairs of free consecutive ports. */
    static List<Integer> pairs(int count) throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        List<Integer> firsts = new ArrayList<>();
        try {
            for (int attempt = 0; firsts.size() < count; attempt++) {
                if (attempt == ATTEMPTS) {
                    throw new IOException("found " + firsts.size() + " of " + count + " pairs of free consecutive ports on"
                            + " 127.0.0.1 in " + ATTEMPTS + " tries");
                }
                ServerSocket first = bind(0);
                held.add(first);
                int port = first.getLocalPort();
                if (port < 65535) {
                    try {
                        held.add(bind(port + 1));
                        firsts.add(port);
                    } catch (IOException taken) {
                        // The next port is in use: the first stays held, so it is not picked again.
                    }
                }
            }
            return firsts;
        } finally {
            for (ServerSocket socket : held) {
                socket.close();
            }
        }
    }

    private static ServerSocket bind(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        try {
            socket.bind(new InetSocketAddress("127.0.0.1", port));
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }
}
