package dev.hotpot.coordinator;

/**
 * A node of the cluster as the coordinator knows it.
 *
 * <ul>
 *   <li>{@code host}, {@code port}: where its data transport listens.</li>
 *   <li>{@code peer}: whether it also runs a coordinator replica (then its id is a {@link Peer} id).</li>
 *   <li>{@code index}: a small number, unique per member and never reused, assigned at its first
 *       join starting at 1; the data path uses it as the node number in transaction ids.
 *       {@link #UNASSIGNED} (0) in a member that has not joined yet.</li>
 *   <li>{@code live}: whether the coordinator currently considers it alive.</li>
 * </ul>
 *
 * <p>Invariants: {@code id} is a valid node id (see {@link Peer}); {@code port} in 1..65535;
 * {@code index >= 0}.
 *
 * <p>Threading: immutable.
 */
public record Member(String id, String host, int port, boolean peer, int index, boolean live) {
    public static final int UNASSIGNED = 0;

    public Member {
        Peer.checkId(id, "member");
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("member id=" + id + " has no host");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("member id=" + id + " has port=" + port + ", outside 1..65535");
        }
        if (index < 0) {
            throw new IllegalArgumentException("member id=" + id + " has index=" + index + ", below 0");
        }
    }

    /** A node about to join: its index is assigned by the coordinator, and joining makes it live. */
    public static Member joining(String id, String host, int port, boolean peer) {
        return new Member(id, host, port, peer, UNASSIGNED, true);
    }

    Member withAddress(String newHost, int newPort) {
        return new Member(id, newHost, newPort, peer, index, live);
    }

    Member withLive(boolean newLive) {
        return new Member(id, host, port, peer, index, newLive);
    }
}
