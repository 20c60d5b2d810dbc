package dev.hotpot.benchmarks.agent;

import dev.hotpot.Persistent;
import dev.hotpot.Transactional;

/** The same class as {@link PlainAccount}, made persistent by the agent. */
@Persistent
public class PersistentAccount {
    public long balance;
    public int count;

    /** A near-empty transaction: one field changes. */
    @Transactional
    public void increment() {
        count++;
    }
}
