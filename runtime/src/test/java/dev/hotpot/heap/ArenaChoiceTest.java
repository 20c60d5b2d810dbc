package dev.hotpot.heap;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which allocation arena a thread uses: any on a heap of one process, its node's own on a cluster. */
class ArenaChoiceTest {
    @Test
    void threadsOfOneProcessSpreadOverEveryArena() {
        assertEquals(Superblock.ARENAS, arenasOf(0).size());
    }

    @Test
    void clusterNodesUpToTheArenaCountOverPerNodeShareNoArena() {
        int nodes = Superblock.ARENAS / Allocator.ARENAS_PER_NODE;
        Set<Integer> seen = new HashSet<>();
        for (int node = 1; node <= nodes; node++) {
            Set<Integer> own = arenasOf(node);
            assertEquals(Allocator.ARENAS_PER_NODE, own.size(), "node " + node + " uses " + own);
            for (int arena : own) {
                assertTrue(seen.add(arena), "arena " + arena + " of node " + node + " belongs to another node too");
            }
        }
        assertEquals(arenasOf(1), arenasOf(nodes + 1), "beyond that, nodes share arenas in turn");
    }

    private static Set<Integer> arenasOf(int node) {
        Set<Integer> arenas = new HashSet<>();
        for (long thread = 1; thread <= 1_000; thread++) {
            arenas.add(Allocator.arenaIndex(node, thread));
        }
        return arenas;
    }
}
