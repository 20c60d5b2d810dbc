package dev.hotpot.offline;

import dev.hotpot.heap.BlockFormat;
import dev.hotpot.heap.HeapReader;
import dev.hotpot.heap.Superblock;
import dev.hotpot.object.StringBlobs;

import java.util.BitSet;
import java.util.List;

import static dev.hotpot.offline.AllocatorCheck.hex;

/**
 * Which blocks a walk from the roots reached, and the checks of each address it follows: an
 * object reference must be the start of an object block; a block that something owns (a string
 * blob, a collection's table, a list entry) must be the start of an allocated block large enough
 * for what it holds, and owned once. A bad address is reported at the word that holds it.
 *
 * <p>Threading: one thread.
 */
final class BlockClaims {
    private final HeapReader heap;
    private final BlockTable blocks;
    private final long top;
    private final List<Problem> problems;
    private final BitSet reached;

    BlockClaims(HeapReader heap, BlockTable blocks, long top, List<Problem> problems) {
        this.heap = heap;
        this.blocks = blocks;
        this.top = top;
        this.problems = problems;
        this.reached = new BitSet(blocks.count());
    }

    /**
     * The index of the object block whose payload starts at {@code object}, or -1 (reported at
     * {@code from}, where the reference is stored) if there is none.
     */
    int object(long object, long from, String what) {
        int index = blocks.atPayload(object);
        if (index < 0 || blocks.tag(index) != BlockFormat.TAG_OBJECT) {
            problems.add(new Problem(from, what + " refers to " + hex(object) + ", which is " + describe(object)
                    + ", not an object"));
            return -1;
        }
        return index;
    }

    /** Marks block {@code index} reached; returns whether it was not reached before. */
    boolean reach(int index) {
        if (reached.get(index)) {
            return false;
        }
        reached.set(index);
        return true;
    }

    boolean isReached(int index) {
        return reached.get(index);
    }

    /**
     * Claims the allocated block whose payload starts at {@code block} for an owner that keeps
     * {@code bytes} bytes in it; returns whether it is one, reporting at {@code from} if not.
     */
    boolean owned(long block, long bytes, String what, long from) {
        int index = blocks.atPayload(block);
        String problem = null;
        if (index < 0 || blocks.tag(index) != BlockFormat.TAG_ALLOCATED) {
            problem = "is " + describe(block) + ", not an allocated block";
        } else if (blocks.usable(index) < bytes) {
            problem = "is a block of " + blocks.usable(index) + " payload bytes, too small for the " + bytes
                    + " bytes it must hold";
        } else if (!reach(index)) {
            problem = "is owned twice (a second owner refers to it)";
        }
        if (problem != null) {
            problems.add(new Problem(from, what + " at " + hex(block) + " " + problem));
            return false;
        }
        return true;
    }

    /** Claims the string blob at {@code blob}, referred to at {@code from}; returns whether it is a valid blob. */
    boolean string(long blob, long from) {
        if (!owned(blob, 8, "string blob", from)) {
            return false;
        }
        long header = StringBlobs.header(heap, blob);
        long needed = StringBlobs.storedBytes(header);
        if (needed < 0) {
            problems.add(new Problem(blob, "string blob has length=" + StringBlobs.length(header) + " coder="
                    + StringBlobs.coder(header) + ", not a blob header"));
            return false;
        }
        long usable = blocks.usable(blocks.atPayload(blob));
        if (needed > usable) {
            problems.add(new Problem(blob, "string blob of " + StringBlobs.length(header) + " chars needs " + needed
                    + " bytes but its block holds " + usable + " (truncated)"));
            return false;
        }
        return true;
    }

    /** What is at {@code address}, for a message: outside the heap, a free block, inside a block, ... */
    String describe(long address) {
        if (address < Superblock.FIRST_DATA_ADDRESS || address >= heap.size()) {
            return "outside the heap's data (" + hex(Superblock.FIRST_DATA_ADDRESS) + " to " + hex(heap.size()) + ")";
        }
        if (address >= top) {
            return "beyond the allocated space (top " + hex(top) + ")";
        }
        int index = blocks.containing(address);
        if (index < 0) {
            return "in no block (never-allocated space)";
        }
        if (blocks.payload(index) != address) {
            return "inside the block at " + hex(blocks.payload(index)) + " (not its start)";
        }
        return "a block tagged " + BlockFormat.tagName(blocks.tag(index));
    }
}
