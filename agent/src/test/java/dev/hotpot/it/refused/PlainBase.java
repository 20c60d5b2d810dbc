package dev.hotpot.it.refused;

/** Not persistent: a persistent class may not extend it. */
public class PlainBase {
    public int base;
}
