package dev.hotpot;

/** A transaction kept conflicting with others and gave up after its bounded number of attempts. */
public class TransactionConflictException extends HotpotException {
    public TransactionConflictException(String message) {
        super(message);
    }

    public TransactionConflictException(String message, Throwable cause) {
        super(message, cause);
    }
}
