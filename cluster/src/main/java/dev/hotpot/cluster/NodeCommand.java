package dev.hotpot.cluster;

import dev.hotpot.HotpotSettings;
import dev.hotpot.cli.Subcommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * {@code hotpot node}: a cluster node that runs no application, a pure replica. It joins the
 * cluster, holds a copy of the heap, takes the role the coordinator gives it (backup, or primary
 * after a failover) and runs until the JVM is stopped.
 */
@Command(name = "node", mixinStandardHelpOptions = true,
        description = "Runs a cluster node without an application: it keeps a copy of the heap and takes its role.")
public final class NodeCommand implements Subcommand {
    @Option(names = "--node", required = true, description = "This node's id (letters, digits, -).")
    String node;

    @Option(names = "--peers", required = true, description = "The founding nodes: id@host:port;id@host:port;...")
    String peers;

    @Option(names = "--dir", defaultValue = HotpotSettings.DEFAULT_DIR, description = "This node's own data folder (default ${DEFAULT-VALUE}).")
    String dir;

    @Option(names = "--heap", defaultValue = HotpotSettings.DEFAULT_HEAP, description = "The heap to hold (default ${DEFAULT-VALUE}).")
    String heap;

    @Option(names = "--address", description = "host:port of this node, when it is not among the peers.")
    String address;

    @Option(names = "--size", description = "Size of a new heap (256m).")
    String size;

    @Option(names = "--replicas", description = "Copies of a new heap (default min(3, peers)).")
    Integer replicas;

    @Option(names = "--secret-file", description = "File with the cluster secret.")
    String secretFile;

    @Option(names = "--tls-dir", description = "Folder with the coordinator's TLS certificates (key.pem, cert.pem, ca.pem).")
    String tlsDir;

    @Option(names = "--commit-timeout", description = "How long a commit may wait for its outcome (10s).")
    String commitTimeout;

    @Override
    public Integer call() throws InterruptedException {
        Properties settings = new Properties();
        put(settings, HotpotSettings.NODE, node);
        put(settings, HotpotSettings.PEERS, peers);
        put(settings, HotpotSettings.DIR, dir);
        put(settings, HotpotSettings.HEAP, heap);
        put(settings, HotpotSettings.ADDRESS, address);
        put(settings, HotpotSettings.SIZE, size);
        put(settings, HotpotSettings.REPLICAS, replicas == null ? null : replicas.toString());
        put(settings, HotpotSettings.SECRET_FILE, secretFile);
        put(settings, HotpotSettings.TLS_DIR, tlsDir);
        put(settings, HotpotSettings.COMMIT_TIMEOUT, commitTimeout);
        ClusterNode started = ClusterNode.start(ClusterSettings.from(settings), java.nio.file.Path.of(dir));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            started.close();
            stopped.countDown();
        }));
        started.openHeap(HotpotSettings.heapConfig(settings));
        System.out.println("node " + node + " holds heap " + heap + "; stop it with Ctrl-C or a signal");
        stopped.await();
        return 0;
    }

    private static void put(Properties settings, String name, String value) {
        if (value != null) {
            settings.setProperty(HotpotSettings.PREFIX + name, value);
        }
    }
}
