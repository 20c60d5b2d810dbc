package dev.hotpot;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class whose non-{@code transient} instance fields live in a persistent heap rather than
 * on the Java heap. The Hotpot agent rewrites the class and every access to its fields; the
 * application keeps using plain field loads and stores.
 *
 * <p>A field that should stay per-handle and off the heap is declared {@code transient}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Persistent {
}
