package dev.hotpot.it.model;

import dev.hotpot.Persistent;
import dev.hotpot.Transactional;

/** A counter that JVMs of a cluster increment together. */
@Persistent
public class Tally {
    public long count;

    @Transactional
    public long increment() {
        return ++count;
    }
}
