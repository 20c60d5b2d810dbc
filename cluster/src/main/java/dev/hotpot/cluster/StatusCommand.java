package dev.hotpot.cluster;

import dev.hotpot.cli.Subcommand;
import dev.hotpot.transport.Connection;
import dev.hotpot.transport.Frame;
import dev.hotpot.transport.TcpTransport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code hotpot status}: a running cluster as its nodes see it. Asks the node at {@code --address}
 * for its {@link NodeStatus} report, then every live member it names, and prints the members, each
 * heap's epoch, primary and in-sync backups, and every node's role, log positions and apply lag (on
 * the primary, each backup's acknowledged position and lag). A node that does not answer is named.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Shows a running cluster: its nodes, their roles per heap, the epoch, log positions and lag.")
public final class StatusCommand implements Subcommand {
    private static final long ANSWER_SECONDS = 5;

    @Option(names = "--address", required = true, description = "host:port of any node of the cluster.")
    String address;

    @Option(names = "--secret-file", description = "File with the cluster secret, if the cluster has one.")
    Path secretFile;

    PrintStream out = System.out;

    @Override
    public Integer call() throws IOException, InterruptedException {
        byte[] secret = secretFile == null ? null : Files.readAllBytes(secretFile);
        try (TcpTransport transport = new TcpTransport("status-" + ProcessHandle.current().pid(), secret)) {
            String first = ask(transport, parse(address));
            Map<String, String> reports = new LinkedHashMap<>();
            reports.put(field(first, "node"), first);
            List<String> unreachable = new ArrayList<>();
            for (String line : first.split("\n")) {
                String[] f = line.split(" ");
                if (f[0].equals("member") && f[3].equals("live") && !reports.containsKey(f[1])) {
                    try {
                        reports.put(f[1], ask(transport, parse(f[2])));
                    } catch (IOException e) {
                        unreachable.add(f[1] + " (" + e.getMessage() + ")");
                    }
                }
            }
            print(first, reports, unreachable);
            return unreachable.isEmpty() ? 0 : 1;
        }
    }

    private void print(String first, Map<String, String> reports, List<String> unreachable) {
        out.println("Cluster " + field(first, "cluster") + ", as node " + field(first, "node") + " sees it:");
        for (String line : first.split("\n")) {
            String[] f = line.split(" ");
            if (f[0].equals("member")) {
                out.printf("  node %-8s %-21s %-6s %s%n", f[1], f[2], f[3], f[4].equals("peer") ? "coordinator peer" : "");
            } else if (f[0].equals("heap")) {
                out.printf("  heap %s: epoch %s, primary %s, in-sync backups %s, %s copies%n", f[1], f[3], f[5], f[7], f[9]);
            }
        }
        out.println("Each node:");
        for (Map.Entry<String, String> report : reports.entrySet()) {
            for (String line : report.getValue().split("\n")) {
                String[] f = line.split(" ");
                if (f[0].equals("local")) {
                    out.printf("  %-8s heap %s: %-8s last record %s, applied %s, apply lag %s records%n",
                            report.getKey(), f[1], f[2], f[4], f[6], f[8]);
                } else if (f[0].equals("backup")) {
                    out.printf("  %-8s   to %s (%s): acknowledged log position %s, %s bytes behind%n",
                            "", f[2], f[3], f[7], f[9]);
                }
            }
        }
        for (String node : unreachable) {
            out.println("  no answer from " + node);
        }
    }

    private static String ask(TcpTransport transport, InetSocketAddress node) throws IOException, InterruptedException {
        try (Connection connection = transport.connectToAny(node, (from, frame) -> { })) {
            Frame reply = connection.request(Frame.request(Messages.STATUS, 0, new byte[0]))
                    .get(ANSWER_SECONDS, TimeUnit.SECONDS);
            return new String(reply.payload(), StandardCharsets.UTF_8);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("no status from " + node + " within " + ANSWER_SECONDS + " s: " + e, e);
        }
    }

    private static InetSocketAddress parse(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("--address " + hostPort + " is not host:port");
        }
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }

    /** The first word after {@code key} at the start of a line of {@code report}. */
    private static String field(String report, String key) {
        for (String line : report.split("\n")) {
            if (line.startsWith(key + " ")) {
                return line.split(" ")[1];
            }
        }
        return "?";
    }
}
