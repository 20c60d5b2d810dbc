package dev.hotpot.heap;

import dev.hotpot.testing.ChildJvm;
import dev.hotpot.testing.TempHeaps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The temporary folders heap creation leaves when a crash cuts it short. */
class HeapCreationTest {
    @TempDir
    Path dir;

    private Path creationFolder(String suffix) throws IOException {
        Path folder = Files.createDirectories(dir.resolve(".test" + HeapFile.CREATING + suffix).resolve(HeapFile.LOG));
        Files.write(folder.getParent().resolve(HeapFile.IMAGE), new byte[4096]);
        Files.createFile(folder.getParent().resolve(HeapFile.LOCK));
        return folder.getParent();
    }

    @Test
    void aCreationFolderWhoseCreatorIsGoneIsDeletedAtTheNextOpen() throws IOException {
        Path abandoned = creationFolder("123");
        try (Heap heap = Heap.open(TempHeaps.small(dir).build())) {
            assertTrue(heap.size() > 0);
        }
        assertFalse(Files.exists(abandoned), "abandoned " + abandoned.getFileName() + " deleted");
    }

    @Test
    void aCreationFolderWhoseCreatorStillHoldsItsLockIsKept() throws Exception {
        Path inProgress = creationFolder("456");
        try (ChildJvm creator = ChildJvm.start(FileLockChild.class, inProgress.resolve(HeapFile.LOCK).toString(), "hold")) {
            creator.await("LOCKED", Duration.ofSeconds(60));
            try (Heap heap = Heap.open(TempHeaps.small(dir).build())) {
                assertTrue(heap.size() > 0);
            }
            assertTrue(Files.exists(inProgress), "a creation in progress in another process is left alone");
            creator.kill();
        }
    }
}
