package dev.hotpot.object;

/**
 * Where one persistent field lives in its object.
 *
 * @param name       the Java field name
 * @param descriptor the JVM type descriptor ({@code J}, {@code Ljava/lang/String;}, ...)
 * @param offset     byte offset from the object's address (fields start after the 8-byte {@link ObjectHeader})
 */
public record FieldLayout(String name, String descriptor, int offset) {
}
