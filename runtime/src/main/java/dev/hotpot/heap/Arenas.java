package dev.hotpot.heap;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongUnaryOperator;

/**
 * Which allocation arena a thread uses, and where it is. Threads take turns in the order of their
 * first allocation on the heap; a thread keeps its turn. On a heap of one process ({@code node} 0)
 * turn {@code t} uses superblock arena {@code t mod ARENAS}. On a cluster, node {@code K} (from 1)
 * has {@link #PER_NODE} arenas, so that its concurrent transactions rarely write the same
 * allocator page: two superblock arenas, {@code 2(K-1)} and the next (modulo the superblock's
 * arenas, so nodes 1 to 4 share none), and {@code PER_NODE - 2} arenas of the directory, in row
 * {@code (K-1) mod 16} (so nodes 1 to 16 share none of those). Member indices only grow, so the
 * free blocks and chunk tails of a member that left stay in its arenas until a member of the same
 * row uses them (a heap opened without a cluster uses only the superblock's).
 *
 * <p>A directory arena is made (with the directory, the first time) inside the first transaction
 * that allocates from it, so concurrent makers conflict like any other writers and one wins. A
 * free never makes one (it must work on a full heap): a thread whose directory arena is not made
 * yet frees into its node's first superblock arena.
 *
 * <p>Invariants: a slot of {@code known} is 0 or the address its directory entry held in a
 * committed transaction; entries never change once set (see {@link Superblock}), so later
 * transactions use a known address without reading the directory, whose page they would otherwise
 * all read.
 *
 * <p>Threading: safe from any thread; {@link #forAllocation} and {@link #forFree} run inside the
 * caller's transaction.
 */
final class Arenas {
    /** Arenas of one cluster node. */
    static final int PER_NODE = 8;
    /** Of those, how many are superblock arenas. */
    static final int SUPERBLOCK_PER_NODE = 2;
    private static final int DIRECTORY_PER_NODE = PER_NODE - SUPERBLOCK_PER_NODE;
    private static final int DIRECTORY_ROWS = Superblock.ARENA_DIRECTORY_SLOTS / DIRECTORY_PER_NODE;

    private final Heap heap;
    private final LongUnaryOperator newPages;
    private final AtomicInteger turns = new AtomicInteger();
    private final ThreadLocal<Integer> turn =
            ThreadLocal.withInitial(() -> turns.getAndIncrement() & Integer.MAX_VALUE);
    /** Committed addresses of directory arenas by slot; 0 where not known yet. */
    private final AtomicLongArray known = new AtomicLongArray(Superblock.ARENA_DIRECTORY_SLOTS);

    /**
     * @param newPages makes an allocated block of whole pages from never-used space for at least
     *                 the given payload bytes, in the current transaction, and returns its payload
     */
    Arenas(Heap heap, LongUnaryOperator newPages) {
        this.heap = heap;
        this.newPages = newPages;
    }

    /** The address of the calling thread's arena, made first if needed. */
    long forAllocation() {
        return current(true);
    }

    /** The address of the arena the calling thread frees into: its own if made, else its node's first. */
    long forFree() {
        return current(false);
    }

    private long current(boolean make) {
        int node = heap.transactionManager().nodeIndex();
        int arena = choose(node, turn.get());
        if (arena < Superblock.ARENAS) {
            return Superblock.arena(arena);
        }
        int slot = arena - Superblock.ARENAS;
        long address = known.get(slot);
        if (address == 0) {
            address = find(slot, make);
        }
        return address != 0 ? address : Superblock.arena(choose(node, 0));
    }

    /**
     * The arena of turn {@code turn} on cluster node {@code node} (0: a heap of one process):
     * below {@link Superblock#ARENAS} a superblock arena, else {@code ARENAS} plus its directory slot.
     */
    static int choose(int node, int turn) {
        if (node == 0) {
            return turn % Superblock.ARENAS;
        }
        int own = turn % PER_NODE;
        if (own < SUPERBLOCK_PER_NODE) {
            return (int) (((long) (node - 1) * SUPERBLOCK_PER_NODE + own) % Superblock.ARENAS);
        }
        return Superblock.ARENAS + ((node - 1) % DIRECTORY_ROWS) * DIRECTORY_PER_NODE + own - SUPERBLOCK_PER_NODE;
    }

    /** The directory arena of {@code slot}, made if {@code make}; 0 if it is not made and {@code make} is false. */
    private long find(int slot, boolean make) {
        long directory = heap.getLong(Superblock.ARENA_DIRECTORY);
        if (directory == 0) {
            if (!make) {
                return 0;
            }
            directory = newPages.applyAsLong(8L * Superblock.ARENA_DIRECTORY_SLOTS);
            heap.putLong(Superblock.ARENA_DIRECTORY, directory);
        }
        long entry = directory + 8L * slot;
        long arena = heap.getLong(entry);
        if (arena == 0) {
            if (!make) {
                return 0;
            }
            arena = newPages.applyAsLong(Superblock.ARENA_BYTES);
            heap.putLong(entry, arena);
        }
        long found = arena;
        heap.afterCommit(() -> known.set(slot, found));
        return arena;
    }
}
