package dev.hotpot.heap;

/**
 * Layout of the heap's own metadata, kept in pages 1.. of the heap and changed only inside
 * transactions, so it is logged, rolled back and recovered like application data. A new heap is
 * all zeros, and every field's zero means "empty" or "use the default".
 *
 * <pre>
 * page 1 (superblock):
 *    0  long  top              next never-allocated address; 0 means {@link #FIRST_DATA_ADDRESS}
 *    8  long  rootsHead        first root entry, or 0
 *   16  long  schemaHead       first schema entry, or 0
 *   24  long  nextClassId      last class id handed out
 *   32  long  largeFreeHead    first free block larger than a chunk, or 0
 *   40  long  extensions       the table of objects' added fields ({@code AddedFields}), or 0
 *   48  long  arenaDirectory   the block of {@link #ARENA_DIRECTORY_SLOTS} addresses of the arenas
 *                              beyond the superblock's, each 0 until made; 0 until the first is made
 * pages 2 .. 2+ARENAS-1 (one allocation arena each), and each arena of the directory (a block of
 * its own page, at its payload address):
 *    0  long  chunkCursor      next free byte of the arena's current chunk
 *    8  long  chunkEnd         end of the arena's current chunk
 *   16  long  freeHead[c]      per size class c, first free block, or 0
 * </pre>
 *
 * <p>The directory and its arenas are made inside the first transaction that needs them and are
 * never freed, so an address once committed there stays valid for the heap's life.
 */
public final class Superblock {
    static final long ADDRESS = Pages.SIZE;
    public static final long TOP = ADDRESS;
    public static final long ROOTS_HEAD = ADDRESS + 8;
    public static final long SCHEMA_HEAD = ADDRESS + 16;
    public static final long NEXT_CLASS_ID = ADDRESS + 24;
    public static final long LARGE_FREE_HEAD = ADDRESS + 32;
    public static final long EXTENSIONS = ADDRESS + 40;
    public static final long ARENA_DIRECTORY = ADDRESS + 48;

    public static final int ARENAS = 8;
    static final long FIRST_ARENA = 2L * Pages.SIZE;
    public static final long ARENA_CHUNK_CURSOR = 0;
    public static final long ARENA_CHUNK_END = 8;
    static final long ARENA_FREE_HEADS = 16;
    /** Bytes of an arena's fields. */
    public static final long ARENA_BYTES = ARENA_FREE_HEADS + 8L * BlockFormat.SIZE_CLASSES;
    /** Arenas the directory can name: 6 more for each of 16 cluster nodes. */
    public static final int ARENA_DIRECTORY_SLOTS = 96;

    public static final long FIRST_DATA_ADDRESS = FIRST_ARENA + (long) ARENAS * Pages.SIZE;

    private Superblock() {
    }

    /** The address of arena {@code index}'s page. */
    public static long arena(int index) {
        return FIRST_ARENA + (long) index * Pages.SIZE;
    }

    /** The address of the head of arena {@code arena}'s free list of size class {@code sizeClass}. */
    public static long freeHead(long arena, int sizeClass) {
        return arena + ARENA_FREE_HEADS + 8L * sizeClass;
    }
}
