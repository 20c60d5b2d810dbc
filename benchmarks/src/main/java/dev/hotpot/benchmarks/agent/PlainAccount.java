package dev.hotpot.benchmarks.agent;

/** The baseline: {@link PersistentAccount} without {@code @Persistent}, an ordinary Java object. */
public class PlainAccount {
    public long balance;
    public int count;

    public void increment() {
        count++;
    }
}
