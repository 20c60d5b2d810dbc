package dev.hotpot;

import java.util.Locale;

/**
 * When a commit's redo record is forced to stable storage. Every mode is crash-consistent:
 * recovery always shows a prefix of the committed transactions; the modes differ in how much of
 * the tail a crash may lose.
 */
public enum Durability {
    /** Forced before commit returns; commits of concurrent threads share one force. The default. */
    SYNC,
    /** Forced by a background flusher within {@code asyncFlushInterval} of commit. */
    ASYNC,
    /** Never forced on commit; a crash may lose any transaction since the last checkpoint. */
    NONE;

    /** Parses {@code sync}, {@code async} or {@code none}, case-insensitively. */
    public static Durability parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("unknown durability=" + text + "; use sync, async or none");
        }
    }
}
