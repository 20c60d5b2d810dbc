package dev.hotpot.object;

import dev.hotpot.HotpotException;

import java.util.ArrayList;
import java.util.List;

/**
 * A persistent field as the agent found it in a class file: name, JVM descriptor and kind.
 *
 * <pre>
 * encoding (one string per class, fields in declaration order): name ' ' descriptor ' ' kind [',' ...]
 * </pre>
 */
public record FieldSpec(String name, String descriptor, FieldKind kind) {

    public static String encode(List<FieldSpec> fields) {
        StringBuilder out = new StringBuilder();
        for (FieldSpec field : fields) {
            if (!out.isEmpty()) {
                out.append(',');
            }
            out.append(field.name).append(' ').append(field.descriptor).append(' ').append(field.kind.name());
        }
        return out.toString();
    }

    public static List<FieldSpec> decode(String encoded) {
        List<FieldSpec> fields = new ArrayList<>();
        if (encoded.isEmpty()) {
            return fields;
        }
        for (String part : encoded.split(",")) {
            String[] pieces = part.split(" ");
            if (pieces.length != 3) {
                throw new HotpotException("malformed field spec '" + part + "'; the class was rewritten by another"
                        + " version of the hotpot agent: rebuild it against this one");
            }
            fields.add(new FieldSpec(pieces[0], pieces[1], FieldKind.valueOf(pieces[2])));
        }
        return fields;
    }
}
