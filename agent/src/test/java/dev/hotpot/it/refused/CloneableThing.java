package dev.hotpot.it.refused;

import dev.hotpot.Persistent;

@Persistent
public class CloneableThing implements Cloneable {
    public long value;

    @Override
    public CloneableThing clone() throws CloneNotSupportedException {
        return (CloneableThing) super.clone();
    }
}
