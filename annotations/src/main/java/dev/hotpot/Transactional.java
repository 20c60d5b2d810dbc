package dev.hotpot;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method as a commit point: its persistent-heap writes are atomic, serializable and
 * durable when it returns. Nested transactional calls flatten into the outermost one; an
 * exception thrown out of the outermost call rolls back all of its heap writes and allocations
 * and is rethrown.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Transactional {
}
