package dev.hotpot.agent;

import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * A {@code @Persistent} class the heap cannot hold: left as compiled, except that its static
 * initializer fails with the reason, so the first use raises an error naming the class and field
 * instead of silently keeping the fields off the heap.
 */
final class RefusedClassRewriter extends StaticInitializerPrologue {
    private final String refusal;

    RefusedClassRewriter(ClassVisitor next, String refusal) {
        super(next);
        this.refusal = refusal;
    }

    @Override
    void emitPrologue(MethodVisitor code) {
        code.visitLdcInsn(refusal);
        code.visitMethodInsn(Opcodes.INVOKESTATIC, Names.OBJECT_RUNTIME, "refuse", "(Ljava/lang/String;)V", false);
    }
}
