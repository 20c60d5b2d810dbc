package dev.hotpot.object;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The stored shape of a persistent class: its name, its instance size and its fields.
 *
 * <pre>
 * encoding: utf className; int size; int fieldCount; fieldCount x { utf name; utf descriptor; int offset }
 * </pre>
 */
public record ClassLayout(String className, int size, List<FieldLayout> fields) {

    public ClassLayout {
        fields = List.copyOf(fields);
    }

    public Optional<FieldLayout> field(String name) {
        return fields.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(className);
            out.writeInt(size);
            out.writeInt(fields.size());
            for (FieldLayout field : fields) {
                out.writeUTF(field.name());
                out.writeUTF(field.descriptor());
                out.writeInt(field.offset());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static ClassLayout decode(byte[] encoded) {
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(encoded))) {
            String className = in.readUTF();
            int size = in.readInt();
            int count = in.readInt();
            List<FieldLayout> fields = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                fields.add(new FieldLayout(in.readUTF(), in.readUTF(), in.readInt()));
            }
            return new ClassLayout(className, size, fields);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
