package dev.hotpot.agent;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;

/**
 * Rewrites classes as they are loaded: {@code @Persistent} classes become heap handles, every
 * access to a persistent field becomes an accessor call, and {@code @Transactional} methods
 * become transactions. Classes that need none of this are returned unchanged ({@code null}).
 *
 * <p>A class that cannot be rewritten is never loaded as if all were well: it gets a static
 * initializer that fails with the reason, and the reason is logged at load time.
 *
 * <p>Threading: safe from any thread; the JVM calls it concurrently for parallel class loading.
 */
final class PersistenceTransformer implements ClassFileTransformer {
    private static final System.Logger LOG = System.getLogger(PersistenceTransformer.class.getName());

    private final TypeInspector inspector = new TypeInspector();
    private final String agentLocation;

    /** @param agentLocation code source location of the agent jar, whose classes are never rewritten */
    PersistenceTransformer(String agentLocation) {
        this.agentLocation = agentLocation;
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain domain, byte[] bytes) {
        if (loader == null || className == null || TypeInspector.isPlatformName(className)
                || className.startsWith("dev/hotpot/shaded/") || isAgentClass(domain)) {
            return null;
        }
        try {
            return classBeingRedefined == null ? rewrite(loader, className, bytes) : rewriteFieldAccess(loader, className, bytes);
        } catch (Throwable failure) {
            String message = "hotpot agent: cannot rewrite class " + className.replace('/', '.') + ": " + failure;
            LOG.log(System.Logger.Level.ERROR, message, failure);
            return refuse(bytes, message);
        }
    }

    /** Records classes that were loaded, unrewritten, before the agent started; see {@link TypeInspector}. */
    void markLoadedBeforeAgent(Class<?> type) {
        inspector.markLoadedBeforeAgent(type.getClassLoader(), type.getName().replace('.', '/'));
    }

    /**
     * A class loaded before the agent started, retransformed: only its field accesses are
     * rewritten (a retransformation may not add members). Frames already running keep the old code.
     */
    byte[] rewriteFieldAccess(ClassLoader loader, String className, byte[] bytes) {
        ClassReader reader = new ClassReader(bytes);
        ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
        Rewrite rewrite = new Rewrite(loader, className, inspector);
        reader.accept(new FieldAccessRewriter(writer, rewrite), 0);
        return rewrite.isChanged() ? writer.toByteArray() : null;
    }

    /** The rewritten class, or null when nothing in it concerns the heap. */
    byte[] rewrite(ClassLoader loader, String className, byte[] bytes) {
        ClassReader reader = new ClassReader(bytes);
        ClassFacts facts = ClassFacts.scan(reader);
        PersistentClass persistent = facts.persistent ? inspector.persistentClass(loader, className) : null;
        if (persistent != null && persistent.refused()) {
            LOG.log(System.Logger.Level.ERROR, "hotpot agent: " + persistent.refusal());
            return refuse(bytes, persistent.refusal());
        }
        Rewrite rewrite = new Rewrite(loader, className, inspector);
        byte[] rewritten = rewrite(reader, facts, persistent, rewrite);
        if (rewrite.violation() != null) {
            // The rewritten code would not even verify; keep the class as compiled, failing at first use.
            LOG.log(System.Logger.Level.ERROR, "hotpot agent: " + rewrite.violation());
            return refuse(bytes, rewrite.violation());
        }
        return rewrite.isChanged() ? rewritten : null;
    }

    private static byte[] rewrite(ClassReader reader, ClassFacts facts, PersistentClass persistent, Rewrite rewrite) {
        ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
        ClassVisitor chain = writer;
        if (!facts.transactional.isEmpty()) {
            chain = new TransactionalRewriter(chain, facts, rewrite);
        }
        if (persistent != null) {
            chain = new PersistentClassRewriter(chain, persistent, rewrite);
        }
        chain = new FieldAccessRewriter(chain, rewrite);
        reader.accept(chain, 0);
        return writer.toByteArray();
    }

    private static byte[] refuse(byte[] bytes, String message) {
        try {
            ClassReader reader = new ClassReader(bytes);
            ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
            reader.accept(new RefusedClassRewriter(writer, message), 0);
            return writer.toByteArray();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "hotpot agent: cannot even mark the class as refused; it loads unchanged", e);
            return null;
        }
    }

    private boolean isAgentClass(ProtectionDomain domain) {
        if (domain == null || domain.getCodeSource() == null || domain.getCodeSource().getLocation() == null) {
            return false;
        }
        return domain.getCodeSource().getLocation().toString().equals(agentLocation);
    }
}
