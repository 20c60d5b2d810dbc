package dev.hotpot.agent;

import dev.hotpot.object.FieldKind;

/**
 * A persistent instance field as the agent rewrites it.
 *
 * @param owner      internal name of the declaring {@code @Persistent} class
 * @param name       field name
 * @param descriptor JVM type descriptor
 * @param kind       how the runtime stores it
 * @param access     the field's access flags (accessors copy its visibility)
 */
record PersistentField(String owner, String name, String descriptor, FieldKind kind, int access) {

    String getterDescriptor() {
        return "(L" + owner + ";)" + descriptor;
    }

    String setterDescriptor() {
        return "(L" + owner + ";" + descriptor + ")V";
    }
}
