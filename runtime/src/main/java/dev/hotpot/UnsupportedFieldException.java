package dev.hotpot;

/**
 * A {@code @Persistent} class declares something the heap cannot store: a field of an unsupported
 * type, a non-persistent superclass, a persistent field of an inner class. The message names the
 * class and the field and says what to use instead. Raised when the class is initialized.
 */
public class UnsupportedFieldException extends HotpotException {
    public UnsupportedFieldException(String message) {
        super(message);
    }
}
