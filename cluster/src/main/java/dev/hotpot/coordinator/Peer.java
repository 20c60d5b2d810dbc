package dev.hotpot.coordinator;

import dev.hotpot.ConfigurationException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A node that runs a coordinator replica: its id and the address of its data transport. The
 * coordinator itself listens on {@link #coordinatorPort()}, the transport's port plus one.
 *
 * <p>Invariants: {@code id} is 1 to 64 letters, digits, {@code . _ -} starting with a letter or
 * digit; {@code host} is a host name, an IPv4 address or a bracketed IPv6 address; {@code port} is
 * in 1..65534 so that {@code port + 1} is a port too.
 *
 * <p>Threading: immutable.
 */
public record Peer(String id, String host, int port) {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._-]+|\\[[0-9A-Fa-f:.]+]");
    private static final String EXAMPLE = "n1@10.0.0.1:7101;n2@10.0.0.2:7101;n3@10.0.0.3:7101";

    public Peer {
        checkId(id, "peer");
        if (host == null || !HOST.matcher(host).matches()) {
            throw new ConfigurationException("peer id=" + id + " has an invalid host=" + host
                    + ": give a host name, an IPv4 address or a bracketed IPv6 address such as [::1]");
        }
        if (port < 1 || port > 65534) {
            throw new ConfigurationException("peer id=" + id + " has port=" + port
                    + ", outside 1..65534: the coordinator listens on port + 1, so pick a lower port");
        }
    }

    /** The port the coordinator of this peer listens on: the data transport's port plus one. */
    public int coordinatorPort() {
        return port + 1;
    }

    /** {@code host:port} of this peer's coordinator. */
    String coordinatorAddress() {
        return host + ":" + coordinatorPort();
    }

    /**
     * Reads a peer list such as {@code n1@10.0.0.1:7101;n2@10.0.0.2:7101;n3@10.0.0.3:7101}: entries
     * separated by {@code ;} (spaces around entries are ignored), each {@code id@host:port}.
     *
     * @throws ConfigurationException naming the bad entry, a duplicate id or a clashing address, or
     *         when the list does not have 1, 3 or 5 peers
     */
    public static List<Peer> parse(String text) {
        if (text == null || text.isBlank()) {
            throw new ConfigurationException("the coordinator peer list is empty: write it as " + EXAMPLE);
        }
        List<Peer> peers = new ArrayList<>();
        String[] entries = text.split(";", -1);
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i].strip();
            if (entry.isEmpty() && i == entries.length - 1 && i > 0) {
                break; // a trailing separator
            }
            peers.add(parseEntry(entry, i + 1));
        }
        return checkGroup(peers);
    }

    private static Peer parseEntry(String entry, int position) {
        int at = entry.indexOf('@');
        int colon = entry.lastIndexOf(':');
        if (at <= 0 || colon < at + 2 || colon == entry.length() - 1) {
            throw new ConfigurationException("peer entry " + position + " '" + entry
                    + "' is not id@host:port: write the peers as " + EXAMPLE);
        }
        String portText = entry.substring(colon + 1);
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw new ConfigurationException("peer entry " + position + " '" + entry + "' has port=" + portText
                    + ", which is not a number: write the peers as " + EXAMPLE);
        }
        return new Peer(entry.substring(0, at), entry.substring(at + 1, colon), port);
    }

    /**
     * Checks a whole peer list: 1, 3 or 5 peers, distinct ids, and no two peers whose transport or
     * coordinator ports meet on the same host.
     *
     * @return the list, unmodifiable
     */
    static List<Peer> checkGroup(List<Peer> peers) {
        int n = peers.size();
        if (n != 1 && n != 3 && n != 5) {
            throw new ConfigurationException("the coordinator needs 1, 3 or 5 peers, got " + n + ": " + peers
                    + "; an odd count tolerates as many failures as the next even one, with fewer votes");
        }
        Map<String, Peer> ids = new HashMap<>();
        Map<String, Peer> ports = new HashMap<>();
        for (Peer peer : peers) {
            Peer before = ids.putIfAbsent(peer.id(), peer);
            if (before != null) {
                throw new ConfigurationException("duplicate peer id=" + peer.id() + " in " + before + " and " + peer
                        + ": give every peer its own id");
            }
            for (int port : new int[] {peer.port(), peer.coordinatorPort()}) {
                Peer clash = ports.putIfAbsent(peer.host() + ":" + port, peer);
                if (clash != null) {
                    throw new ConfigurationException("peers " + clash + " and " + peer + " both use "
                            + peer.host() + ":" + port + " (each peer takes its port and port + 1): "
                            + "space the ports of peers on one host at least 2 apart");
                }
            }
        }
        return List.copyOf(peers);
    }

    /** Throws unless {@code id} is a valid node id; {@code what} names the id in the message. */
    static void checkId(String id, String what) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new ConfigurationException(what + " id=" + id + " is invalid: use 1 to 64 letters, digits, "
                    + "'.', '_' or '-', starting with a letter or digit");
        }
    }

    @Override
    public String toString() {
        return id + "@" + host + ":" + port;
    }
}
