package dev.hotpot.agent;

import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Runs code of the agent's first in a class's static initializer: prepended to the existing
 * {@code <clinit>}, or as a new one. The prologue must leave the operand stack empty and use no
 * locals, so the original code and its frames are unaffected.
 */
abstract class StaticInitializerPrologue extends ClassVisitor {
    private boolean sawInitializer;

    StaticInitializerPrologue(ClassVisitor next) {
        super(Opcodes.ASM9, next);
    }

    /** Emits the prologue's instructions. */
    abstract void emitPrologue(MethodVisitor code);

    @Override
    public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
        MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
        if (!"<clinit>".equals(name) || next == null) {
            return next;
        }
        sawInitializer = true;
        return new MethodVisitor(Opcodes.ASM9, next) {
            @Override
            public void visitCode() {
                super.visitCode();
                emitPrologue(this);
            }
        };
    }

    @Override
    public void visitEnd() {
        if (!sawInitializer) {
            MethodVisitor code = super.visitMethod(Opcodes.ACC_STATIC, "<clinit>", "()V", null, null);
            code.visitCode();
            emitPrologue(code);
            code.visitInsn(Opcodes.RETURN);
            code.visitMaxs(0, 0);
            code.visitEnd();
        }
        super.visitEnd();
    }
}
