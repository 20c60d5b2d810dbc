package dev.hotpot;

/** An allocation did not fit; the transaction that asked for it rolls back and nothing else changes. */
public class HeapFullException extends HotpotException {
    public HeapFullException(String message) {
        super(message);
    }

    public HeapFullException(String message, Throwable cause) {
        super(message, cause);
    }
}
