package dev.hotpot.agent;

import java.util.List;

/**
 * What the agent knows about a {@code @Persistent} class from its class file and those of its
 * supertypes and field types.
 *
 * @param name       internal name
 * @param superName  internal name of the superclass as declared
 * @param fields     own persistent fields in declaration order (empty when refused)
 * @param refusal    why the class cannot be persistent, or null when it can
 */
record PersistentClass(String name, String superName, List<PersistentField> fields, String refusal) {

    boolean refused() {
        return refusal != null;
    }

    /** Whether the class's declared superclass is {@code Object}, which the agent replaces. */
    boolean isRoot() {
        return "java/lang/Object".equals(superName);
    }

    PersistentField field(String fieldName) {
        for (PersistentField field : fields) {
            if (field.name().equals(fieldName)) {
                return field;
            }
        }
        return null;
    }
}
