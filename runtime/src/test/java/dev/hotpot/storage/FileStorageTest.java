package dev.hotpot.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileStorageTest {
    @TempDir
    Path dir;

    @Test
    void aDirectorySyncIsIgnoredOnlyWhereTheFileSystemDoesNotOfferIt() {
        assertTrue(FileStorage.isUnsupportedSync(new IOException("Invalid argument")));
        assertTrue(FileStorage.isUnsupportedSync(new IOException("Operation not supported")));
        assertFalse(FileStorage.isUnsupportedSync(new IOException("Input/output error")));
        assertFalse(FileStorage.isUnsupportedSync(new IOException("No space left on device")));
    }

    @Test
    void syncingAnExistingDirectoryWorksAndAMissingOneIsAnError() {
        FileStorage storage = new FileStorage();
        assertDoesNotThrow(() -> storage.forceDirectory(dir));
        assertThrows(IOException.class, () -> storage.forceDirectory(dir.resolve("missing")));
    }
}
