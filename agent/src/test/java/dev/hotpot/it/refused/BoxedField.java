package dev.hotpot.it.refused;

import dev.hotpot.Persistent;

@Persistent
public class BoxedField {
    public Long count;
}
