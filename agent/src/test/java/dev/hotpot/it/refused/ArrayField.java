package dev.hotpot.it.refused;

import dev.hotpot.Persistent;

@Persistent
public class ArrayField {
    public long[] values;
}
