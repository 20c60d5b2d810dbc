package dev.hotpot.agent;

import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Replaces every {@code GETFIELD}/{@code PUTFIELD} of a persistent field, in any method of any
 * class, with a call of the static accessor the declaring class gets. The stack effect is the
 * same, so stack map frames stay valid. The call names the class the instruction named (static
 * method resolution finds the accessor in its superclass), so access checks see the same class
 * as for the field: a public field of a package-private superclass stays reachable through a
 * public subclass. A private field's accessor is named on its declaring class.
 */
final class FieldAccessRewriter extends ClassVisitor {
    private final Rewrite rewrite;

    FieldAccessRewriter(ClassVisitor next, Rewrite rewrite) {
        super(Opcodes.ASM9, next);
        this.rewrite = rewrite;
    }

    @Override
    public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
        MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
        return next == null ? null : new MethodVisitor(Opcodes.ASM9, next) {
            @Override
            public void visitFieldInsn(int opcode, String owner, String fieldName, String fieldDescriptor) {
                if (opcode == Opcodes.GETFIELD || opcode == Opcodes.PUTFIELD) {
                    PersistentField field = rewrite.inspector.resolveField(rewrite.loader, owner, fieldName, fieldDescriptor);
                    if (field != null) {
                        boolean read = opcode == Opcodes.GETFIELD;
                        boolean isPrivate = (field.access() & Opcodes.ACC_PRIVATE) != 0;
                        super.visitMethodInsn(Opcodes.INVOKESTATIC, isPrivate ? field.owner() : owner,
                                read ? Names.getter(fieldName) : Names.setter(fieldName),
                                read ? field.getterDescriptor() : field.setterDescriptor(), false);
                        rewrite.changed();
                        return;
                    }
                }
                super.visitFieldInsn(opcode, owner, fieldName, fieldDescriptor);
            }
        };
    }
}
