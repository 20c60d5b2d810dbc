package dev.hotpot;

/** A heap file or its log is damaged or is not a Hotpot heap; nothing was changed on disk. */
public class HeapCorruptException extends HotpotException {
    public HeapCorruptException(String message) {
        super(message);
    }

    public HeapCorruptException(String message, Throwable cause) {
        super(message, cause);
    }
}
