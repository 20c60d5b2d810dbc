package dev.hotpot.tx;

/**
 * Unwinds a transaction body that lost a conflict so that it can be re-run. An {@link Error}, so
 * application code that catches {@code Exception} does not swallow it; a body that swallows it
 * anyway is still rolled back at commit (the transaction is marked doomed). Carries no stack trace:
 * conflicts are an expected outcome, not a failure. Each transaction has its own instance, so a
 * conflict of one heap's transaction unwinding through another heap's body is not mistaken for
 * the latter's.
 */
final class ConflictAbort extends Error {
    ConflictAbort() {
        super("transaction conflict", null, false, false);
    }
}
