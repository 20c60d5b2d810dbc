package dev.hotpot.agent;

import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.util.HashSet;
import java.util.Set;

/**
 * What a first, cheap pass over a class file (no code) tells the transformer: whether the class
 * is annotated {@code @Persistent}, which methods are {@code @Transactional}, and its version.
 */
final class ClassFacts {
    boolean persistent;
    boolean isInterface;
    int version;
    /** name + descriptor of each {@code @Transactional} method. */
    final Set<String> transactional = new HashSet<>();

    static ClassFacts scan(ClassReader reader) {
        ClassFacts facts = new ClassFacts();
        reader.accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
                facts.version = version & 0xFFFF;
                facts.isInterface = (access & Opcodes.ACC_INTERFACE) != 0;
            }

            @Override
            public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
                if (Names.PERSISTENT.equals(descriptor)) {
                    facts.persistent = true;
                }
                return null;
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public AnnotationVisitor visitAnnotation(String annotation, boolean visible) {
                        if (Names.TRANSACTIONAL.equals(annotation)) {
                            facts.transactional.add(name + descriptor);
                        }
                        return null;
                    }
                };
            }
        }, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return facts;
    }
}
