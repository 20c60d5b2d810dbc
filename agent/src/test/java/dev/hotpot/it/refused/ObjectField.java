package dev.hotpot.it.refused;

import dev.hotpot.Persistent;

@Persistent
public class ObjectField {
    public Object anything;
}
