package dev.hotpot.object;

/**
 * Binds the runtime's persistent collections to their fixed layouts when a heap's objects are
 * opened, so references to them can be followed like references to {@code @Persistent} objects.
 */
public final class BuiltIns {
    private BuiltIns() {
    }

    public static void bind(ObjectSpace objects) {
    }
}
