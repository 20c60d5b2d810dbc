package dev.hotpot.it.refused;

import dev.hotpot.Persistent;

@Persistent
public class PlainSuperclass extends PlainBase {
    public int own;
}
