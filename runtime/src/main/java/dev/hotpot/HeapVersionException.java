package dev.hotpot;

/** A heap was written in an on-disk format version this runtime does not read. */
public class HeapVersionException extends HeapCorruptException {
    public HeapVersionException(String message) {
        super(message);
    }

    public HeapVersionException(String message, Throwable cause) {
        super(message, cause);
    }
}
