package dev.hotpot.benchmarks.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;

/**
 * The child JVM of the loopback round-trip baseline: accepts one TCP connection on 127.0.0.1 and
 * sends back every byte it receives. Prints {@code @ready port=<port>} once it listens.
 *
 * <p>Args: {@code selfDestructSeconds}. Halts after that, when standard input ends, or when the
 * connection closes.
 *
 * <p>Threading: the main thread echoes; a daemon thread watches standard input and the clock.
 */
public final class EchoServer {
    private EchoServer() {
    }

    public static void main(String[] args) throws IOException {
        long lifetime = Long.parseLong(args[0]);
        Thread.ofPlatform().daemon().name("self-destruct").start(() -> {
            try {
                TimeUnit.SECONDS.sleep(lifetime);
            } catch (InterruptedException e) {
                return;
            }
            Runtime.getRuntime().halt(3);
        });
        Thread.ofPlatform().daemon().name("stdin").start(() -> {
            try {
                while (System.in.read() >= 0) {
                    // Commands are not expected; the end of input is.
                }
            } catch (IOException e) {
                // Treated as the end.
            }
            Runtime.getRuntime().halt(4);
        });
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            System.out.println("@ready port=" + server.getLocalPort());
            System.out.flush();
            try (Socket socket = server.accept()) {
                socket.setTcpNoDelay(true);
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                byte[] buffer = new byte[4096];
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    out.write(buffer, 0, n);
                }
            }
        }
        Runtime.getRuntime().halt(0);
    }
}
