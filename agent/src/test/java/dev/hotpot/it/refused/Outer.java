package dev.hotpot.it.refused;

import dev.hotpot.Persistent;

public class Outer {
    public int outerValue;

    /** A non-static inner class that uses its Outer holds a hidden reference to it, which cannot be stored. */
    @Persistent
    public class Inner {
        public int value;

        public int sum() {
            return value + outerValue;
        }
    }
}
