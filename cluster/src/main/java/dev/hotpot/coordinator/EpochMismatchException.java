package dev.hotpot.coordinator;

import java.util.Objects;

/**
 * A compare-and-set on a heap's epoch failed: the heap's assignment changed since the caller read it.
 * Nothing changed; {@link #current()} is the assignment to decide again from.
 */
public class EpochMismatchException extends CommandRefusedException {
    private final transient HeapAssignment current;

    public EpochMismatchException(String message, HeapAssignment current) {
        super(message);
        this.current = Objects.requireNonNull(current, "current");
    }

    /** The heap's assignment when the command was refused. */
    public HeapAssignment current() {
        return current;
    }
}
