package dev.hotpot.cluster;

import dev.hotpot.tx.TransactionManager;

import java.util.Arrays;

/**
 * The commit sequence of each transaction id this node has logged lately: a primary answers a
 * commit retried after an unknown outcome with the sequence it already has, so that every
 * transaction applies exactly once. Every node records the ids of the records it logs, so that a
 * backup promoted to primary knows them too; the newest {@value #SAVED} of them outlive
 * checkpoints and restarts in a {@link RecentCommitsFile}. A node that takes a copy of the
 * primary's image takes the primary's ids with it, in place of its own: its own may name records
 * the cluster never committed, and a retry of one would be answered without being applied.
 *
 * <p>Storage: the (txId, sequence) pairs sit in a ring of primitive longs in the order they were
 * first logged, and an open-addressing index (linear probing, deletion by backward shift) maps a
 * txId to its ring slot. Logging an id allocates nothing once the ring has reached its capacity,
 * and {@link #newest} copies one or two ranges of the ring: a checkpoint holds the lock for a copy,
 * not for a walk over a million map entries. Memory is 24 bytes per ring slot (a pair of longs, and
 * two index positions of an int); the ring doubles from {@value #INITIAL_CAPACITY} slots up to its
 * capacity.
 *
 * <p>Invariants: holds the newest {@code capacity} distinct ids logged, oldest first from
 * {@code next - size}; logging an id held already changes its sequence and keeps its place; the
 * index holds exactly one slot for each id held, and the index is at most half full.
 *
 * <p>Threading: safe from any thread once published safely (through a final field, as its heap
 * holds it); every method holds this object's lock.
 */
final class RecentCommits {
    static final int CAPACITY = 1 << 20;
    /**
     * How many ids a checkpoint keeps on disk: a retry comes within the commit timeout of its first
     * attempt, and this covers 50 s of commits at the highest throughput measured here (10,000
     * commits/s), five times the default commit timeout.
     */
    static final int SAVED = 1 << 19;
    private static final int INITIAL_CAPACITY = 1 << 10;
    private static final int FREE = -1;

    private final int capacity;
    /** txId at {@code 2 * slot}, its sequence at {@code 2 * slot + 1}. */
    private long[] pairs;
    /** Ring slot per index position, or {@link #FREE}; twice as many positions as ring slots. */
    private int[] index;
    /** The ring slot the next new id takes. */
    private int next;
    private int size;

    RecentCommits() {
        this(CAPACITY, INITIAL_CAPACITY);
    }

    /**
     * @param capacity how many ids to hold at most: a power of two up to 2^29
     * @param initial  how many slots the ring starts with: a power of two
     */
    RecentCommits(int capacity, int initial) {
        if (!isPowerOfTwoUpTo29(capacity) || !isPowerOfTwoUpTo29(initial)) {
            throw new IllegalArgumentException("capacity=" + capacity + " and initial=" + initial
                    + " must be powers of two in 1..2^29");
        }
        this.capacity = capacity;
        allocate(Math.min(capacity, initial));
    }

    private static boolean isPowerOfTwoUpTo29(int n) {
        return n > 0 && n <= 1 << 29 && Integer.bitCount(n) == 1;
    }

    synchronized void logged(long txId, long sequence) {
        int at = find(txId);
        if (index[at] != FREE) {
            pairs[2 * index[at] + 1] = sequence;
            return;
        }
        if (size == slots()) {
            if (slots() < capacity) {
                grow();
            } else {
                remove(pairs[2 * next]);
                size--;
            }
            at = find(txId);
        }
        pairs[2 * next] = txId;
        pairs[2 * next + 1] = sequence;
        index[at] = next;
        next = (next + 1) & (slots() - 1);
        size++;
    }

    /** Holds exactly the ids of {@code pairs} (txId, sequence, oldest first), as if only they had been logged. */
    synchronized void replaceWith(long[] pairs) {
        Arrays.fill(index, FREE);
        next = 0;
        size = 0;
        for (int i = 0; i < pairs.length; i += 2) {
            logged(pairs[i], pairs[i + 1]);
        }
    }

    /** The newest {@code limit} ids as pairs (txId, sequence), oldest first. */
    synchronized long[] newest(int limit) {
        int count = Math.min(limit, size);
        long[] copy = new long[2 * count];
        int first = (next - count) & (slots() - 1);
        int before = Math.min(count, slots() - first);
        System.arraycopy(pairs, 2 * first, copy, 0, 2 * before);
        System.arraycopy(pairs, 0, copy, 2 * before, 2 * (count - before));
        return copy;
    }

    /**
     * One past the highest counter among the held ids that node {@code nodeIndex} handed out; 0 if
     * none: ids from there on repeat none of them.
     */
    synchronized long counterAfter(int nodeIndex) {
        long after = 0;
        for (int i = 0; i < size; i++) {
            long txId = pairs[2 * ((next - size + i) & (slots() - 1))];
            if (TransactionManager.nodeOfTxId(txId) == nodeIndex) {
                after = Math.max(after, TransactionManager.counterOfTxId(txId) + 1);
            }
        }
        return after;
    }

    /** The sequence of transaction {@code txId}, or -1 if this node has not logged it lately. */
    synchronized long sequenceOf(long txId) {
        int slot = index[find(txId)];
        return slot == FREE ? -1 : pairs[2 * slot + 1];
    }

    private int slots() {
        return pairs.length / 2;
    }

    private void allocate(int slots) {
        pairs = new long[2 * slots];
        index = new int[2 * slots];
        Arrays.fill(index, FREE);
    }

    /** Doubles the ring, which is full and has not wrapped yet (it grows before its first eviction). */
    private void grow() {
        long[] old = pairs;
        allocate(2 * slots());
        System.arraycopy(old, 0, pairs, 0, old.length);
        for (int slot = 0; slot < size; slot++) {
            index[find(pairs[2 * slot])] = slot;
        }
        next = size;
    }

    /** The index position that holds {@code txId}, or the free one where it would go. */
    private int find(long txId) {
        int mask = index.length - 1;
        int at = home(txId);
        while (index[at] != FREE && pairs[2 * index[at]] != txId) {
            at = (at + 1) & mask;
        }
        return at;
    }

    private int home(long txId) {
        // Fibonacci hashing: the top bits of the product spread ids that differ in any bits.
        return (int) ((txId * 0x9E3779B97F4A7C15L) >>> (64 - Integer.numberOfTrailingZeros(index.length)));
    }

    /** Takes {@code txId} (held) out of the index, shifting back the entries its position kept from their home. */
    private void remove(long txId) {
        int mask = index.length - 1;
        int hole = find(txId);
        int at = hole;
        while (true) {
            at = (at + 1) & mask;
            if (index[at] == FREE) {
                break;
            }
            int home = home(pairs[2 * index[at]]);
            boolean homeAfterHole = hole <= at ? hole < home && home <= at : hole < home || home <= at;
            if (!homeAfterHole) {
                index[hole] = index[at];
                hole = at;
            }
        }
        index[hole] = FREE;
    }
}
