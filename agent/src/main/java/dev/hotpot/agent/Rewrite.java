package dev.hotpot.agent;

/**
 * The state of rewriting one class: who defines it, what changed, and whether the class turned
 * out to break a rule that only its code shows.
 *
 * <p>Threading: confined to the thread that transforms the class.
 */
final class Rewrite {
    final ClassLoader loader;
    final String className;
    final TypeInspector inspector;
    private boolean changed;
    private String violation;

    Rewrite(ClassLoader loader, String className, TypeInspector inspector) {
        this.loader = loader;
        this.className = className;
        this.inspector = inspector;
    }

    void changed() {
        changed = true;
    }

    boolean isChanged() {
        return changed;
    }

    void violation(String message) {
        if (violation == null) {
            violation = message;
        }
    }

    String violation() {
        return violation;
    }
}
