package dev.hotpot.object;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The classes a heap stores under another name than their own: the runtime's collections, whose
 * names in the on-disk format do not follow the package of their classes. A stored layout names
 * such a class by its stored name, both as the layout's class and in the descriptors of fields
 * that refer to it; every other class is stored under its own name.
 *
 * <p>Invariant: a class has at most one stored name and a stored name at most one class.
 *
 * <p>Threading: safe from any thread; names are added before the classes that use them are bound.
 */
final class StoredNames {
    /** Stored name to class. */
    private final Map<String, Class<?>> classes = new ConcurrentHashMap<>();
    /** Field descriptor of a class to the descriptor it is stored with. */
    private final Map<String, String> descriptors = new ConcurrentHashMap<>();

    void add(Class<?> type, String storedName) {
        classes.put(storedName, type);
        descriptors.put(descriptorOf(type.getName()), descriptorOf(storedName));
    }

    /** The class stored as {@code storedName}, or null when that is a class's own name. */
    Class<?> classOf(String storedName) {
        return classes.get(storedName);
    }

    /** {@code fields} with the descriptors they are stored with. */
    List<FieldSpec> stored(List<FieldSpec> fields) {
        List<FieldSpec> stored = new ArrayList<>(fields.size());
        for (FieldSpec field : fields) {
            String descriptor = descriptors.getOrDefault(field.descriptor(), field.descriptor());
            stored.add(new FieldSpec(field.name(), descriptor, field.kind()));
        }
        return stored;
    }

    private static String descriptorOf(String className) {
        return "L" + className.replace('.', '/') + ";";
    }
}
