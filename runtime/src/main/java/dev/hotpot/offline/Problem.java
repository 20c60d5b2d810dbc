package dev.hotpot.offline;

import java.util.Locale;

/**
 * A damage an offline check found: the heap address where it is (the word that is wrong, or the
 * block or structure that breaks an invariant) and what is wrong there.
 */
public record Problem(long address, String message) {
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "0x%x: %s", address, message);
    }
}
