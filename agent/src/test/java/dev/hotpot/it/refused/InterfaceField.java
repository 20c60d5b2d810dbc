package dev.hotpot.it.refused;

import dev.hotpot.Persistent;

@Persistent
public class InterfaceField {
    public Runnable task;
}
