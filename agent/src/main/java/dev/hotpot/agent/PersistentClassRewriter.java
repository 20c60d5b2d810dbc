package dev.hotpot.agent;

import dev.hotpot.object.FieldKind;
import dev.hotpot.object.FieldSpec;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a valid {@code @Persistent} class into a handle class:
 * <ul>
 *   <li>a class that extended {@code Object} extends {@code PersistentObject}, whose constructor
 *       allocates the object in the heap (so user constructors, including field initializers,
 *       already write to the heap);</li>
 *   <li>persistent instance fields are removed; each gets a static getter and setter with the
 *       field's visibility, and a {@code static final} offset bound at class initialization;</li>
 *   <li>a constructor {@code (Materializer, long)} makes handles of existing objects without
 *       running user code;</li>
 *   <li>the static initializer first binds the class to its layout in the heap.</li>
 * </ul>
 */
final class PersistentClassRewriter extends StaticInitializerPrologue {
    private static final int ACCESS_MASK = Opcodes.ACC_PUBLIC | Opcodes.ACC_PROTECTED | Opcodes.ACC_PRIVATE;

    private final PersistentClass persistent;
    private final Rewrite rewrite;
    private String superName;

    PersistentClassRewriter(ClassVisitor next, PersistentClass persistent, Rewrite rewrite) {
        super(next);
        this.persistent = persistent;
        this.rewrite = rewrite;
    }

    @Override
    public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
        this.superName = persistent.isRoot() ? Names.PERSISTENT_OBJECT : superName;
        rewrite.changed();
        super.visit(version, access, name, signature, this.superName, interfaces);
    }

    @Override
    public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
        if ((access & Opcodes.ACC_STATIC) == 0 && persistent.field(name) != null) {
            return null;
        }
        return super.visitField(access, name, descriptor, signature, value);
    }

    @Override
    public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
        MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
        if (!"<init>".equals(name) || next == null) {
            return next;
        }
        return new ConstructorRewriter(next);
    }

    @Override
    void emitPrologue(MethodVisitor code) {
        List<FieldSpec> specs = new ArrayList<>();
        for (PersistentField field : persistent.fields()) {
            specs.add(new FieldSpec(field.name(), field.descriptor(), field.kind()));
        }
        code.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/invoke/MethodHandles", "lookup",
                "()Ljava/lang/invoke/MethodHandles$Lookup;", false);
        code.visitLdcInsn(FieldSpec.encode(specs));
        code.visitMethodInsn(Opcodes.INVOKESTATIC, Names.OBJECT_RUNTIME, "bind",
                "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;)[J", false);
        for (int i = 0; i < specs.size(); i++) {
            code.visitInsn(Opcodes.DUP);
            code.visitLdcInsn(i);
            code.visitInsn(Opcodes.LALOAD);
            code.visitFieldInsn(Opcodes.PUTSTATIC, persistent.name(), Names.offset(specs.get(i).name()), "J");
        }
        code.visitInsn(Opcodes.POP);
    }

    @Override
    public void visitEnd() {
        for (PersistentField field : persistent.fields()) {
            super.visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC | Opcodes.ACC_FINAL | Opcodes.ACC_SYNTHETIC,
                    Names.offset(field.name()), "J", null, null).visitEnd();
            emitGetter(field);
            emitSetter(field);
        }
        emitHandleConstructor();
        super.visitEnd();
    }

    private static final String SELF_AND_OFFSET = "(L" + Names.PERSISTENT_OBJECT + ";J";

    private void emitGetter(PersistentField field) {
        MethodVisitor code = accessor(field, Names.getter(field.name()), field.getterDescriptor());
        emitSelfAndOffset(code, field);
        Type type = Type.getType(field.descriptor());
        switch (field.kind()) {
            case STRING -> code.visitMethodInsn(Opcodes.INVOKESTATIC, Names.OBJECT_RUNTIME, "getString",
                    SELF_AND_OFFSET + ")Ljava/lang/String;", false);
            case ENUM, REFERENCE -> {
                code.visitLdcInsn(type);
                code.visitMethodInsn(Opcodes.INVOKESTATIC, Names.OBJECT_RUNTIME,
                        field.kind() == FieldKind.ENUM ? "getEnum" : "getReference",
                        SELF_AND_OFFSET + "Ljava/lang/Class;)Ljava/lang/Object;", false);
                code.visitTypeInsn(Opcodes.CHECKCAST, type.getInternalName());
            }
            default -> code.visitMethodInsn(Opcodes.INVOKESTATIC, Names.OBJECT_RUNTIME, "get" + primitiveName(field.kind()),
                    SELF_AND_OFFSET + ")" + field.descriptor(), false);
        }
        code.visitInsn(type.getOpcode(Opcodes.IRETURN));
        finish(code);
    }

    private void emitSetter(PersistentField field) {
        MethodVisitor code = accessor(field, Names.setter(field.name()), field.setterDescriptor());
        emitSelfAndOffset(code, field);
        Type type = Type.getType(field.descriptor());
        code.visitVarInsn(type.getOpcode(Opcodes.ILOAD), 1);
        String method;
        String valueDescriptor;
        switch (field.kind()) {
            case STRING -> {
                method = "putString";
                valueDescriptor = "Ljava/lang/String;";
            }
            case ENUM -> {
                method = "putEnum";
                valueDescriptor = "Ljava/lang/Enum;";
            }
            case REFERENCE -> {
                method = "putReference";
                valueDescriptor = "Ljava/lang/Object;";
            }
            default -> {
                method = "put" + primitiveName(field.kind());
                valueDescriptor = field.descriptor();
            }
        }
        code.visitMethodInsn(Opcodes.INVOKESTATIC, Names.OBJECT_RUNTIME, method, SELF_AND_OFFSET + valueDescriptor + ")V", false);
        code.visitInsn(Opcodes.RETURN);
        finish(code);
    }

    private MethodVisitor accessor(PersistentField field, String name, String descriptor) {
        int access = (field.access() & ACCESS_MASK) | Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC;
        MethodVisitor code = super.visitMethod(access, name, descriptor, null, null);
        code.visitCode();
        return code;
    }

    /** Pushes the object (local 0) and the field's offset constant. */
    private void emitSelfAndOffset(MethodVisitor code, PersistentField field) {
        code.visitVarInsn(Opcodes.ALOAD, 0);
        code.visitFieldInsn(Opcodes.GETSTATIC, persistent.name(), Names.offset(field.name()), "J");
    }

    private void emitHandleConstructor() {
        MethodVisitor code = super.visitMethod(Opcodes.ACC_PROTECTED | Opcodes.ACC_SYNTHETIC, "<init>",
                Names.HANDLE_CONSTRUCTOR, null, null);
        code.visitCode();
        code.visitVarInsn(Opcodes.ALOAD, 0);
        code.visitVarInsn(Opcodes.ALOAD, 1);
        code.visitVarInsn(Opcodes.LLOAD, 2);
        code.visitMethodInsn(Opcodes.INVOKESPECIAL, superName, "<init>", Names.HANDLE_CONSTRUCTOR, false);
        code.visitInsn(Opcodes.RETURN);
        finish(code);
    }

    private static void finish(MethodVisitor code) {
        code.visitMaxs(0, 0);
        code.visitEnd();
    }

    private static String primitiveName(FieldKind kind) {
        String name = kind.name();
        return name.charAt(0) + name.substring(1).toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Finds the constructor's own {@code super(...)}/{@code this(...)} call (the first
     * {@code INVOKESPECIAL <init>} not paired with a {@code NEW}); in a root class, retargets
     * {@code Object.<init>} to {@code PersistentObject.<init>}. A persistent field of this class
     * stored before that call (Java 25 flexible constructor bodies) has no object to go to yet:
     * that is recorded as a violation.
     */
    private final class ConstructorRewriter extends MethodVisitor {
        private int pendingNews;
        private boolean initialized;

        ConstructorRewriter(MethodVisitor next) {
            super(Opcodes.ASM9, next);
        }

        @Override
        public void visitTypeInsn(int opcode, String type) {
            if (opcode == Opcodes.NEW && !initialized) {
                pendingNews++;
            }
            super.visitTypeInsn(opcode, type);
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
            if (!initialized) {
                if (opcode == Opcodes.INVOKESPECIAL && "<init>".equals(name)) {
                    if (pendingNews > 0) {
                        pendingNews--;
                    } else {
                        initialized = true;
                        if (persistent.isRoot() && "java/lang/Object".equals(owner)) {
                            owner = Names.PERSISTENT_OBJECT;
                        }
                    }
                } else if (opcode == Opcodes.INVOKESTATIC && owner.equals(persistent.name()) && name.startsWith(Names.SETTER_PREFIX)) {
                    rewrite.violation("class " + persistent.name().replace('/', '.') + ": persistent field '"
                            + name.substring(Names.SETTER_PREFIX.length()) + "' is assigned before super() runs, when the"
                            + " object is not in the heap yet; assign it after the super(...) or this(...) call");
                }
            }
            super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
        }
    }
}
