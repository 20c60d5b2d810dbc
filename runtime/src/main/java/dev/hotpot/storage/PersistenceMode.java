package dev.hotpot.storage;

/** How forced writes of a mapping reach stable storage. */
public enum PersistenceMode {
    DAX("persistent memory (DAX, cache-line write-back)"),
    MSYNC("page cache (msync)");

    private final String description;

    PersistenceMode(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
