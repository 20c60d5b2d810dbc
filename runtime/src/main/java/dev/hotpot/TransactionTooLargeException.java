package dev.hotpot;

/** A transaction changed more bytes than one redo log segment can hold. */
public class TransactionTooLargeException extends HotpotException {
    public TransactionTooLargeException(String message) {
        super(message);
    }

    public TransactionTooLargeException(String message, Throwable cause) {
        super(message, cause);
    }
}
