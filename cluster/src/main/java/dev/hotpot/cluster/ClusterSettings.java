package dev.hotpot.cluster;

import dev.hotpot.ConfigurationException;
import dev.hotpot.HotpotSettings;
import dev.hotpot.coordinator.CoordinatorTls;
import dev.hotpot.coordinator.Peer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * How this node takes part in a cluster, from the {@code hotpot.*} settings: its id, the founding
 * peers, its own address when it is not a peer, the copies a new heap gets, the secret and the
 * timeouts. Validated once, with errors that name the setting.
 *
 * @param nodeId        this node's id (letters, digits, {@code -})
 * @param peers         the founding nodes, hosting the coordinator; the same list on every node
 * @param host          the host this node listens on
 * @param port          the data port; the coordinator of a peer listens on the next one
 * @param replicas      N, the copies of a new heap that every commit is durable on
 * @param secret        the cluster secret, or null (then every address must be a loopback one)
 * @param tls           the certificates of the coordinator's mutual TLS, or null for plain gRPC
 * @param commitTimeout how long a commit may wait for its outcome
 * @param backupTimeout how long a primary waits for a backup's acknowledgement before it removes
 *                      the backup from the in-sync set
 * @param lease         how long a node may be silent before the coordinator declares it failed
 * @param startTimeout  how long a starting node waits for a majority of peers and a primary
 * @param steps         observes the steps of the replication protocol ({@link ProtocolSteps#NONE})
 */
public record ClusterSettings(String nodeId, List<Peer> peers, String host, int port, int replicas, byte[] secret,
                              CoordinatorTls tls, Duration commitTimeout, Duration backupTimeout, Duration lease, Duration startTimeout,
                              ProtocolSteps steps) {

    /** Whether {@code properties} ask for a cluster (they name peers). */
    public static boolean requested(Properties properties) {
        return properties.getProperty(HotpotSettings.PREFIX + HotpotSettings.PEERS) != null;
    }

    public static ClusterSettings from(Properties properties) {
        String nodeId = required(properties, HotpotSettings.NODE);
        if (!nodeId.matches("[A-Za-z0-9-]{1,64}")) {
            throw new ConfigurationException("hotpot.node=" + nodeId + " is not a node id; use 1-64 letters, digits or '-'");
        }
        List<Peer> peers = Peer.parse(required(properties, HotpotSettings.PEERS));
        String address = properties.getProperty(HotpotSettings.PREFIX + HotpotSettings.ADDRESS);
        Peer self = peers.stream().filter(p -> p.id().equals(nodeId)).findFirst().orElse(null);
        String host;
        int port;
        if (self != null) {
            if (address != null) {
                throw new ConfigurationException("hotpot.address=" + address + " is set, but node " + nodeId
                        + " is a peer, whose address hotpot.peers gives; drop hotpot.address");
            }
            host = self.host();
            port = self.port();
        } else if (address == null) {
            throw new ConfigurationException("node " + nodeId + " is not in hotpot.peers=" + peersText(peers)
                    + "; give its own host:port in hotpot.address, or add it to the peers");
        } else {
            int colon = address.lastIndexOf(':');
            if (colon <= 0) {
                throw new ConfigurationException("hotpot.address=" + address + " is not host:port");
            }
            host = address.substring(0, colon);
            port = parsePort(address.substring(colon + 1), "hotpot.address=" + address);
        }
        int replicas = Math.min(3, peers.size());
        String replicasText = properties.getProperty(HotpotSettings.PREFIX + HotpotSettings.REPLICAS);
        if (replicasText != null) {
            try {
                replicas = Integer.parseInt(replicasText.trim());
            } catch (NumberFormatException e) {
                throw new ConfigurationException("hotpot.replicas=" + replicasText + " is not a number");
            }
            if (replicas < 1 || replicas > 16) {
                throw new ConfigurationException("hotpot.replicas=" + replicas + " must be between 1 and 16");
            }
        }
        byte[] secret = readSecret(properties.getProperty(HotpotSettings.PREFIX + HotpotSettings.SECRET_FILE));
        if (secret == null) {
            requireLoopback(host, peers);
        }
        String tlsDir = properties.getProperty(HotpotSettings.PREFIX + HotpotSettings.TLS_DIR);
        CoordinatorTls tls = tlsDir == null ? null
                : CoordinatorTls.inFolder(Path.of(tlsDir), HotpotSettings.PREFIX + HotpotSettings.TLS_DIR);
        return new ClusterSettings(nodeId, peers, host, port, replicas, secret, tls,
                duration(properties, HotpotSettings.COMMIT_TIMEOUT, Duration.ofSeconds(10)),
                duration(properties, HotpotSettings.BACKUP_TIMEOUT, Duration.ofSeconds(1)),
                duration(properties, HotpotSettings.LEASE, Duration.ofMillis(1500)),
                duration(properties, HotpotSettings.START_TIMEOUT, Duration.ofSeconds(60)),
                protocolSteps(properties.getProperty(HotpotSettings.PREFIX + HotpotSettings.PROTOCOL_STEPS)));
    }

    /** Whether this node hosts the coordinator. */
    public boolean isPeer() {
        return peers.stream().anyMatch(p -> p.id().equals(nodeId));
    }

    private static String required(Properties properties, String name) {
        String value = properties.getProperty(HotpotSettings.PREFIX + name);
        if (value == null || value.isBlank()) {
            throw new ConfigurationException("hotpot." + name + " is required on a cluster node (hotpot.peers is set)");
        }
        return value.trim();
    }

    private static int parsePort(String text, String what) {
        try {
            int port = Integer.parseInt(text.trim());
            if (port < 1 || port > 65534) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new ConfigurationException(what + ": the port must be a number from 1 to 65534 (the next one is used too)");
        }
    }

    private static byte[] readSecret(String file) {
        if (file == null) {
            return null;
        }
        try {
            byte[] secret = Files.readAllBytes(Path.of(file));
            if (secret.length < 16) {
                throw new ConfigurationException("hotpot.secretFile=" + file + " holds " + secret.length
                        + " bytes; a cluster secret needs at least 16");
            }
            return secret;
        } catch (IOException e) {
            throw new ConfigurationException("hotpot.secretFile=" + file + " cannot be read (" + e + ")");
        }
    }

    private static void requireLoopback(String host, List<Peer> peers) {
        checkLoopback(host, "this node's address");
        for (Peer peer : peers) {
            checkLoopback(peer.host(), "peer " + peer.id());
        }
    }

    private static void checkLoopback(String host, String what) {
        try {
            if (!InetAddress.getByName(host).isLoopbackAddress()) {
                throw new ConfigurationException(what + " has host " + host + ", which is not a loopback address: a"
                        + " cluster without hotpot.secretFile binds to loopback only; give every node the same secret file");
            }
        } catch (UnknownHostException e) {
            throw new ConfigurationException(what + " has host " + host + ", which does not resolve");
        }
    }

    private static Duration duration(Properties properties, String name, Duration fallback) {
        String text = properties.getProperty(HotpotSettings.PREFIX + name);
        if (text == null) {
            return fallback;
        }
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            Duration parsed;
            if (t.endsWith("ms")) {
                parsed = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).trim()));
            } else if (t.endsWith("s")) {
                parsed = Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1).trim()) * 1000));
            } else {
                parsed = Duration.ofMillis(Long.parseLong(t));
            }
            if (parsed.isNegative() || parsed.isZero()) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new ConfigurationException("hotpot." + name + "=" + text + " is not a duration; use 500ms, 10s or"
                    + " a number of milliseconds");
        }
    }

    private static ProtocolSteps protocolSteps(String className) {
        return className == null ? ProtocolSteps.NONE
                : HotpotSettings.newInstance(HotpotSettings.PROTOCOL_STEPS, className.trim(), ProtocolSteps.class);
    }

    private static String peersText(List<Peer> peers) {
        return String.join(";", peers.stream().map(p -> p.id() + "@" + p.host() + ":" + p.port()).toList());
    }
}
