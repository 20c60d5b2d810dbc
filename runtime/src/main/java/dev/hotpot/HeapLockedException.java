package dev.hotpot;

/** The heap is already open in this or another process on this machine. */
public class HeapLockedException extends HotpotException {
    public HeapLockedException(String message) {
        super(message);
    }

    public HeapLockedException(String message, Throwable cause) {
        super(message, cause);
    }
}
