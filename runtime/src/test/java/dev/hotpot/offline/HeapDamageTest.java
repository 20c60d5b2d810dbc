package dev.hotpot.offline;

import dev.hotpot.heap.BlockFormat;
import dev.hotpot.heap.HeapImage;
import dev.hotpot.heap.Superblock;
import dev.hotpot.object.SchemaRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Damages a copy of the sample heap in one way per test, writing its image file directly, and
 * checks that {@code verify} exits 1 and reports the damage at its address.
 */
class HeapDamageTest {
    private static final String ACCOUNT = Account.class.getName();

    @TempDir
    Path dir;
    private Path heap;
    private long size;
    private long top;
    private long accounts;
    private long byOwner;
    private long ledger;
    private long[] account = new long[3];

    @BeforeEach
    void copySamples() {
        heap = SampleHeaps.copyOfSamples(dir);
        try (HeapImage image = HeapImage.open(heap)) {
            HeapCheck check = HeapCheck.run(image);
            assertTrue(check.problems().isEmpty(), check.problems()::toString);
            size = image.size();
            top = check.top();
            accounts = check.roots().get("accounts");
            byOwner = check.roots().get("byOwner");
            ledger = check.roots().get("ledger");
            long slots = image.getLong(accounts + 24);
            for (int i = 0; i < account.length; i++) {
                account[i] = image.getLong(slots + 16L * i + 8);
            }
        }
    }

    @Test
    void aBadBlockTagIsReportedAtTheBlockHeader() throws IOException {
        long header = account[0] - BlockFormat.HEADER;
        putLong(header, 0x1234L << 48 | BlockFormat.size(read(header)));
        assertReported(header, "no valid block header");
    }

    @Test
    void aBrokenFreeListIsReportedAtTheLinkThatLeavesIt() throws IOException {
        long head = firstFreeListHead();
        putLong(head, account[1] + 16);
        assertReported(head, "free list link to 0x" + Long.toHexString(account[1] + 16) + " is not the start of a block");
    }

    @Test
    void anArenaDirectoryThatIsNotAnAllocatedBlockIsReportedAtTheSuperblock() throws IOException {
        putLong(Superblock.ARENA_DIRECTORY, account[0]);
        assertReported(Superblock.ARENA_DIRECTORY, "the arena directory at 0x" + Long.toHexString(account[0])
                + " is a block tagged " + BlockFormat.tagName(BlockFormat.TAG_OBJECT) + ", not an allocated block");
    }

    @Test
    void anObjectHeaderWithAnUnknownClassIsReportedAtTheObject() throws IOException {
        putInt(account[0], 999);
        assertReported(account[0], "object header names class id 999, which the schema does not hold");
    }

    @Test
    void aReferenceOutsideTheHeapIsReportedAtTheField() throws IOException {
        long field = account[1] + offset("next");
        putLong(field, size + 4096);
        assertReported(field, "outside the heap's data");
    }

    @Test
    void aReferenceBeyondTheAllocatedSpaceIsReportedAtTheField() throws IOException {
        long field = account[1] + offset("next");
        putLong(field, top + 64);
        assertReported(field, "beyond the allocated space");
    }

    @Test
    void aReferenceToAFreeBlockIsReportedAtTheField() throws IOException {
        long free = read(firstFreeListHead());
        long field = account[1] + offset("next");
        putLong(field, free);
        assertReported(field, "a block tagged free, not an object");
    }

    @Test
    void aReferenceIntoTheMiddleOfABlockIsReportedAtTheField() throws IOException {
        long field = account[1] + offset("next");
        putLong(field, account[2] + 8);
        assertReported(field, "inside the block at 0x" + Long.toHexString(account[2]));
    }

    @Test
    void aStringBlobWithABadCoderIsReportedAtTheBlob() throws IOException {
        long blob = read(account[0] + offset("owner"));
        putInt(blob + 4, 7);
        assertReported(blob, "coder=7, not a blob header");
    }

    @Test
    void aTruncatedStringBlobIsReportedAtTheBlob() throws IOException {
        long blob = read(account[0] + offset("owner"));
        putInt(blob, 10_000);
        assertReported(blob, "string blob of 10000 chars needs");
        assertReported(blob, "(truncated)");
    }

    @Test
    void aStringBlobOwnedTwiceIsReportedAtTheSecondOwner() throws IOException {
        long blob = read(account[0] + offset("owner"));
        putLong(account[1] + offset("owner"), blob);
        String reported = verify();
        assertTrue(reported.contains("string blob at 0x" + Long.toHexString(blob) + " is owned twice"), reported);
    }

    @Test
    void anEnumIdOutsideItsTableIsReportedAtTheField() throws IOException {
        long field = account[0] + offset("kind");
        putInt(field, 99);
        assertReported(field, "holds constant id 99 but the table of enum " + AccountKind.class.getName());
    }

    @Test
    void brokenKeyOrderOfASortedMapIsReportedAtItsLeaf() throws IOException {
        long leaf = firstLeaf();
        byte[] order = bytes(leaf + 24, 2);
        putBytes(leaf + 24, new byte[] {order[1], order[0]});
        assertReported(leaf, "B+-tree of PersistentSortedMap at address=" + ledger);
    }

    @Test
    void aWrongHashMapCountIsReportedAtTheMap() throws IOException {
        long count = read(byOwner + 8);
        putLong(byOwner + 8, count + 1);
        assertReported(byOwner, "has size=" + (count + 1) + " but its table holds " + count + " entries");
    }

    @Test
    void aListSizeBeyondItsCapacityIsReportedAtTheList() throws IOException {
        long capacity = read(accounts + 16);
        putLong(accounts + 8, capacity + 1);
        assertReported(accounts, "has size=" + (capacity + 1) + " beyond its capacity=" + capacity);
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** Runs verify; checks that it exits 1 and reports {@code fragment} at {@code address}. */
    private void assertReported(long address, String fragment) {
        String reported = verify();
        String line = String.format(Locale.ROOT, "0x%x: ", address);
        assertTrue(reported.lines().anyMatch(l -> l.startsWith(line) && l.contains(fragment)),
                "expected a line starting '" + line + "' with '" + fragment + "' in:\n" + reported);
    }

    private String verify() {
        Commands verify = Commands.run("verify", heap);
        assertEquals(1, verify.exitCode(), verify::toString);
        return verify.out();
    }

    private long offset(String field) {
        try (HeapImage image = HeapImage.open(heap)) {
            for (long entry = image.getLong(Superblock.SCHEMA_HEAD); entry != 0; entry = image.getLong(entry)) {
                SchemaRegistry.Entry stored = SchemaRegistry.decode(image, entry);
                if (stored.layout().className().equals(ACCOUNT) && stored.version() == 1) {
                    return stored.layout().field(field).orElseThrow().offset();
                }
            }
        }
        throw new AssertionError("no layout of " + ACCOUNT);
    }

    private long firstFreeListHead() {
        try (HeapImage image = HeapImage.open(heap)) {
            for (int arena = 0; arena < Superblock.ARENAS; arena++) {
                for (int sizeClass = 0; sizeClass < BlockFormat.SIZE_CLASSES; sizeClass++) {
                    long head = Superblock.freeHead(Superblock.arena(arena), sizeClass);
                    if (image.getLong(head) != 0) {
                        return head;
                    }
                }
            }
        }
        throw new AssertionError("the sample heap has no free block");
    }

    /** The leftmost leaf of the ledger's B+-tree. */
    private long firstLeaf() {
        try (HeapImage image = HeapImage.open(heap)) {
            long node = image.getLong(ledger + 8);
            while (image.getInt(node + 4) > 0) {
                node = image.getLong(node + 16);
            }
            return node;
        }
    }

    private long read(long address) {
        try (HeapImage image = HeapImage.open(heap)) {
            return image.getLong(address);
        }
    }

    private byte[] bytes(long address, int length) {
        try (HeapImage image = HeapImage.open(heap)) {
            return image.getBytes(address, length);
        }
    }

    private void putLong(long address, long value) throws IOException {
        putBytes(address, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array());
    }

    private void putInt(long address, int value) throws IOException {
        putBytes(address, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array());
    }

    private void putBytes(long address, byte[] bytes) throws IOException {
        try (FileChannel image = FileChannel.open(heap.resolve("heap.img"), StandardOpenOption.WRITE)) {
            image.write(ByteBuffer.wrap(bytes), address);
        }
    }
}
