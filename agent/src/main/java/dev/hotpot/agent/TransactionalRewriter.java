package dev.hotpot.agent;

import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.TypePath;

import java.util.Set;

/**
 * Makes each {@code @Transactional} method a transaction. The method's code moves to a private
 * synthetic body method; the method itself (same name, signature, annotations and exceptions)
 * becomes {@code return Hotpot.transaction(() -> body(args))}, so nesting flattens, an exception
 * rolls back and is rethrown unchanged (checked ones too), and a conflict re-runs the body with
 * the original arguments.
 */
final class TransactionalRewriter extends ClassVisitor {
    private static final Handle METAFACTORY = new Handle(Opcodes.H_INVOKESTATIC, "java/lang/invoke/LambdaMetafactory",
            "metafactory", "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;"
            + "Ljava/lang/invoke/MethodType;Ljava/lang/invoke/MethodHandle;Ljava/lang/invoke/MethodType;)"
            + "Ljava/lang/invoke/CallSite;", false);

    private static final System.Logger LOG = System.getLogger(TransactionalRewriter.class.getName());

    private final Set<String> transactional;
    private final Rewrite rewrite;
    private final boolean isInterface;

    TransactionalRewriter(ClassVisitor next, ClassFacts facts, Rewrite rewrite) {
        super(Opcodes.ASM9, next);
        this.transactional = facts.transactional;
        this.rewrite = rewrite;
        this.isInterface = facts.isInterface;
        if (facts.version < Opcodes.V1_7) {
            throw new IllegalStateException("@Transactional needs class files of Java 7 or newer; class "
                    + rewrite.className.replace('/', '.') + " has version " + facts.version + ": recompile it");
        }
    }

    @Override
    public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
        if (!transactional.contains(name + descriptor)) {
            return super.visitMethod(access, name, descriptor, signature, exceptions);
        }
        if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0) {
            // Annotations are not inherited: the implementations run as they are annotated.
            LOG.log(System.Logger.Level.WARNING, "hotpot agent: @Transactional on abstract or native method " + name
                    + " of " + rewrite.className.replace('/', '.') + " has no effect; annotate the implementing methods");
            return super.visitMethod(access, name, descriptor, signature, exceptions);
        }
        rewrite.changed();
        MethodVisitor wrapper = super.visitMethod(access, name, descriptor, signature, exceptions);
        int bodyAccess = Opcodes.ACC_PRIVATE | Opcodes.ACC_SYNTHETIC | (access & Opcodes.ACC_STATIC);
        MethodVisitor body = super.visitMethod(bodyAccess, Names.transactionBody(name), descriptor, signature, exceptions);
        return new MethodVisitor(Opcodes.ASM9, body) {
            @Override
            public void visitParameter(String parameter, int parameterAccess) {
                wrapper.visitParameter(parameter, parameterAccess);
            }

            @Override
            public AnnotationVisitor visitAnnotation(String annotation, boolean visible) {
                return wrapper.visitAnnotation(annotation, visible);
            }

            @Override
            public AnnotationVisitor visitTypeAnnotation(int typeRef, TypePath typePath, String annotation, boolean visible) {
                return wrapper.visitTypeAnnotation(typeRef, typePath, annotation, visible);
            }

            @Override
            public void visitAnnotableParameterCount(int parameterCount, boolean visible) {
                wrapper.visitAnnotableParameterCount(parameterCount, visible);
            }

            @Override
            public AnnotationVisitor visitParameterAnnotation(int parameter, String annotation, boolean visible) {
                return wrapper.visitParameterAnnotation(parameter, annotation, visible);
            }

            @Override
            public void visitEnd() {
                super.visitEnd();
                emitWrapper(wrapper, access, name, descriptor);
            }
        };
    }

    private void emitWrapper(MethodVisitor code, int access, String name, String descriptor) {
        boolean isStatic = (access & Opcodes.ACC_STATIC) != 0;
        Type returnType = Type.getReturnType(descriptor);
        boolean isVoid = returnType.getSort() == Type.VOID;
        code.visitCode();
        StringBuilder captured = new StringBuilder("(");
        int slot = 0;
        if (!isStatic) {
            code.visitVarInsn(Opcodes.ALOAD, slot++);
            captured.append('L').append(rewrite.className).append(';');
        }
        for (Type argument : Type.getArgumentTypes(descriptor)) {
            code.visitVarInsn(argument.getOpcode(Opcodes.ILOAD), slot);
            slot += argument.getSize();
            captured.append(argument.getDescriptor());
        }
        String functional = isVoid ? "java/lang/Runnable" : "java/util/function/Supplier";
        captured.append(")L").append(functional).append(';');
        Handle body = new Handle(isStatic ? Opcodes.H_INVOKESTATIC : Opcodes.H_INVOKESPECIAL, rewrite.className,
                Names.transactionBody(name), descriptor, isInterface);
        Type boxed = boxed(returnType);
        code.visitInvokeDynamicInsn(isVoid ? "run" : "get", captured.toString(), METAFACTORY,
                Type.getMethodType(isVoid ? "()V" : "()Ljava/lang/Object;"), body,
                Type.getMethodType(isVoid ? "()V" : "()" + boxed.getDescriptor()));
        if (isVoid) {
            code.visitMethodInsn(Opcodes.INVOKESTATIC, Names.HOTPOT, "transaction", "(Ljava/lang/Runnable;)V", false);
            code.visitInsn(Opcodes.RETURN);
        } else {
            code.visitMethodInsn(Opcodes.INVOKESTATIC, Names.HOTPOT, "transaction",
                    "(Ljava/util/function/Supplier;)Ljava/lang/Object;", false);
            code.visitTypeInsn(Opcodes.CHECKCAST, boxed.getInternalName());
            if (boxed != returnType) {
                code.visitMethodInsn(Opcodes.INVOKEVIRTUAL, boxed.getInternalName(), returnType.getClassName() + "Value",
                        "()" + returnType.getDescriptor(), false);
            }
            code.visitInsn(returnType.getOpcode(Opcodes.IRETURN));
        }
        code.visitMaxs(0, 0);
        code.visitEnd();
    }

    /** The wrapper class of a primitive type; reference types map to themselves. */
    private static Type boxed(Type type) {
        return switch (type.getSort()) {
            case Type.BOOLEAN -> Type.getType(Boolean.class);
            case Type.BYTE -> Type.getType(Byte.class);
            case Type.CHAR -> Type.getType(Character.class);
            case Type.SHORT -> Type.getType(Short.class);
            case Type.INT -> Type.getType(Integer.class);
            case Type.FLOAT -> Type.getType(Float.class);
            case Type.LONG -> Type.getType(Long.class);
            case Type.DOUBLE -> Type.getType(Double.class);
            default -> type;
        };
    }
}
