package dev.hotpot.it.model;

import dev.hotpot.Persistent;

/** First used by ConcurrentAccessIT only: its initialization must not depend on heap page locks. */
@Persistent
public class FirstUseB {
    public long value;
}
