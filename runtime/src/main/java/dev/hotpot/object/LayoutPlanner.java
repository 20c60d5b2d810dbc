package dev.hotpot.object;

import dev.hotpot.SchemaMismatchException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Chooses where each persistent field of a class lives. A class's layout is its superclass's
 * layout followed by its own fields, packed by size with natural alignment. Against a layout the
 * heap already stores for the class, stored fields keep their offsets and new fields go after the
 * stored end, so stored bytes are never reinterpreted; a removed or retyped field is refused.
 *
 * <p>Threading: stateless.
 */
final class LayoutPlanner {
    private LayoutPlanner() {
    }

    /**
     * @param superLayout layout of the persistent superclass, or null when there is none
     * @param own         the class's own persistent fields, in declaration order
     * @param stored      the newest layout the heap stores for this class name, or null
     * @return the layout, with fields ordered by offset
     */
    static ClassLayout plan(String className, ClassLayout superLayout, List<FieldSpec> own, ClassLayout stored) {
        List<FieldLayout> inherited = superLayout == null ? List.of() : superLayout.fields();
        int base = superLayout == null ? ObjectHeader.SIZE : superLayout.size();
        Map<String, FieldSpec> declared = new HashMap<>();
        for (FieldSpec field : own) {
            if (find(inherited, field.name()) != null) {
                throw new SchemaMismatchException("class " + className + ": field '" + field.name()
                        + "' hides a persistent field of its superclass; rename one of them");
            }
            declared.put(field.name(), field);
        }
        List<FieldLayout> placed = new ArrayList<>(inherited);
        int end = base;
        if (stored != null) {
            for (FieldLayout old : stored.fields()) {
                FieldLayout fromSuper = find(inherited, old.name());
                if (fromSuper != null) {
                    if (fromSuper.offset() != old.offset() || !fromSuper.descriptor().equals(old.descriptor())) {
                        throw new SchemaMismatchException("class " + className + ": inherited field '" + old.name()
                                + "' is stored at offset " + old.offset() + " but its superclass now puts it at "
                                + fromSuper.offset() + "; a superclass of a stored class may not change its persistent"
                                + " fields: undo the change, or give the changed class a new name");
                    }
                    continue;
                }
                FieldSpec now = declared.get(old.name());
                if (now == null) {
                    throw new SchemaMismatchException("class " + className + ": field '" + old.name() + "' ("
                            + old.descriptor() + ") is stored in the heap but no longer declared; put the field back"
                            + ", or migrate the data to a class with a new name");
                }
                if (!now.descriptor().equals(old.descriptor())) {
                    throw new SchemaMismatchException("class " + className + ": field '" + old.name()
                            + "' changed type from " + old.descriptor() + " to " + now.descriptor()
                            + "; keep the stored type, or add a field with a new name for the new type");
                }
                if (old.offset() < base) {
                    throw new SchemaMismatchException("class " + className + ": field '" + old.name()
                            + "' is stored at offset " + old.offset() + ", inside the fields its superclass now has"
                            + " (they end at " + base + "); a superclass of a stored class may not gain persistent"
                            + " fields: undo the change, or give the changed class a new name");
                }
                placed.add(old);
            }
            end = Math.max(end, stored.size());
        }
        List<FieldSpec> fresh = new ArrayList<>();
        for (FieldSpec field : own) {
            if (find(placed, field.name()) == null) {
                fresh.add(field);
            }
        }
        fresh.sort(Comparator.comparingInt((FieldSpec f) -> -f.kind().size()));
        for (FieldSpec field : fresh) {
            int size = field.kind().size();
            end = (end + size - 1) / size * size;
            placed.add(new FieldLayout(field.name(), field.descriptor(), end));
            end += size;
        }
        placed.sort(Comparator.comparingInt(FieldLayout::offset));
        return new ClassLayout(className, (end + 7) & ~7, placed);
    }

    /** Offsets of {@code own} fields in {@code layout}, in the order of {@code own}. */
    static long[] offsetsOf(ClassLayout layout, List<FieldSpec> own) {
        long[] offsets = new long[own.size()];
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = find(layout.fields(), own.get(i).name()).offset();
        }
        return offsets;
    }

    private static FieldLayout find(List<FieldLayout> fields, String name) {
        for (FieldLayout field : fields) {
            if (field.name().equals(name)) {
                return field;
            }
        }
        return null;
    }
}
