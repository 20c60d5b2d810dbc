package dev.hotpot;

/** A class's field layout is incompatible with the layout the heap stored for it. */
public class SchemaMismatchException extends HotpotException {
    public SchemaMismatchException(String message) {
        super(message);
    }

    public SchemaMismatchException(String message, Throwable cause) {
        super(message, cause);
    }
}
