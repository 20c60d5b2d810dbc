package dev.hotpot.heap;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which allocation arena a thread uses: any superblock arena on a heap of one process, its node's own on a cluster. */
class ArenaChoiceTest {
    private static final int DIRECTORY_NODES = Superblock.ARENA_DIRECTORY_SLOTS
            / (Arenas.PER_NODE - Arenas.SUPERBLOCK_PER_NODE);

    @Test
    void threadsOfOneProcessTakeTheSuperblockArenasInTurn() {
        assertEquals(IntStream.range(0, Superblock.ARENAS).boxed().toList(), arenasOf(0, Superblock.ARENAS));
        assertEquals(arenasOf(0, Superblock.ARENAS), arenasOf(0, 3 * Superblock.ARENAS).subList(16, 24));
    }

    @Test
    void theFirstThreadsOfAClusterNodeEachHaveAnArenaOfTheirOwn() {
        for (int node = 1; node <= 20; node++) {
            List<Integer> arenas = arenasOf(node, Arenas.PER_NODE);
            assertEquals(Arenas.PER_NODE, new HashSet<>(arenas).size(), "node " + node + " uses " + arenas);
            assertEquals(arenas, arenasOf(node, 2 * Arenas.PER_NODE).subList(Arenas.PER_NODE, 2 * Arenas.PER_NODE),
                    "later threads take the node's arenas in turn");
            for (int arena : arenas) {
                assertTrue(arena < Superblock.ARENAS + Superblock.ARENA_DIRECTORY_SLOTS, "arena " + arena);
            }
        }
    }

    @Test
    void clusterNodesShareNoArenaUpToFourAndNoDirectoryArenaUpToSixteen() {
        Set<Integer> seen = new HashSet<>();
        for (int node = 1; node <= DIRECTORY_NODES; node++) {
            for (int arena : arenasOf(node, Arenas.PER_NODE)) {
                boolean superblock = arena < Superblock.ARENAS;
                if (node <= Superblock.ARENAS / Arenas.SUPERBLOCK_PER_NODE || !superblock) {
                    assertTrue(seen.add(arena), "arena " + arena + " of node " + node + " belongs to another node too");
                }
            }
        }
        assertEquals(Superblock.ARENAS + Superblock.ARENA_DIRECTORY_SLOTS, seen.size(), "every arena is used");
        assertEquals(arenasOf(1, Arenas.PER_NODE), arenasOf(DIRECTORY_NODES + 1, Arenas.PER_NODE),
                "beyond that, nodes share arenas in turn");
    }

    private static List<Integer> arenasOf(int node, int turns) {
        return IntStream.range(0, turns).map(turn -> Arenas.choose(node, turn)).boxed().toList();
    }
}
