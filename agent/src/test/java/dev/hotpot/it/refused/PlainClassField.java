package dev.hotpot.it.refused;

import dev.hotpot.Persistent;

@Persistent
public class PlainClassField {
    public StringBuilder buffer;
}
