package dev.hotpot.it.refused;

import dev.hotpot.Persistent;

/** Assigns a persistent field before super() (a Java 25 flexible constructor body). */
@Persistent
public class EarlyAssignment {
    public long value;

    public EarlyAssignment(long value) {
        this.value = value;
        super();
    }
}
