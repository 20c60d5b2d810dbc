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
    /** Classes loaded, unrewritten, before the agent started: a retransformation may only touch their code. */
    private final java.util.Set<Class<?>> loadedBeforeAgent =
            java.util.Collections.newSetFromMap(java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>()));

    /** @param agentLocation code source location of the agent jar, whose classes are never rewritten */
    PersistenceTransformer(String agentLocation) {
        this.agentLocation = agentLocation;
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain domain, byte[] bytes) {
        if (loader == null || className == null || TypeInspector.isPlatformName(className)
                || className.startsWith("dev/hotpot/shaded/") || isAgentClass(domain, agentLocation)) {
            return null;
        }
        try {
            // Another agent's retransformation hands over the original class file: rewrite it the same way again.
            return classBeingRedefined != null && loadedBeforeAgent.contains(classBeingRedefined)
                    ? rewriteFieldAccess(loader, className, bytes) : rewrite(loader, className, bytes);
        } catch (Throwable failure) {
            String message = "hotpot agent: cannot rewrite class " + className.replace('/', '.') + ": " + failure;
            LOG.log(System.Logger.Level.ERROR, message, failure);
            return refuse(bytes, message);
        }
    }

    /** Records classes that were loaded, unrewritten, before the agent started; see {@link TypeInspector}. */
    void markLoadedBeforeAgent(Class<?> type) {
        loadedBeforeAgent.add(type);
        if (type.isAnnotationPresent(dev.hotpot.Persistent.class)) {
            inspector.markLoadedBeforeAgent(type.getClassLoader(), type.getName().replace('.', '/'));
        }
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
        PersistentClass persistent = null;
        if (facts.persistent) {
            inspector.remember(loader, className, bytes);
            persistent = inspector.persistentClass(loader, className);
            if (persistent == null) {
                return refused(bytes, "class " + className.replace('/', '.') + " is annotated @Persistent but the agent"
                        + " cannot read its class file or a supertype's through its class loader " + loader
                        + "; define the classes through a loader that serves them as resources");
            }
            if (persistent.refused()) {
                return refused(bytes, persistent.refusal());
            }
        } else if (isPersistent(loader, reader.getSuperName())) {
            return refused(bytes, "class " + className.replace('/', '.') + " extends the persistent class "
                    + reader.getSuperName().replace('/', '.') + " but is not @Persistent itself; annotate it @Persistent"
                    + " (an anonymous or local class cannot be: make it a named static nested or top-level class)");
        }
        Rewrite rewrite = new Rewrite(loader, className, inspector);
        byte[] rewritten = rewrite(reader, facts, persistent, rewrite);
        if (rewrite.violation() != null) {
            // The rewritten code would not even verify; keep the class as compiled, failing at first use.
            return refused(bytes, rewrite.violation());
        }
        return rewrite.isChanged() ? rewritten : null;
    }

    private boolean isPersistent(ClassLoader loader, String internalName) {
        PersistentClass type = internalName == null ? null : inspector.persistentClass(loader, internalName);
        return type != null && !type.refused();
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

    /** Logs {@code message} now and returns the class, failing its initialization with it. */
    private static byte[] refused(byte[] bytes, String message) {
        LOG.log(System.Logger.Level.ERROR, "hotpot agent: " + message);
        return refuse(bytes, message);
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

    /** Whether {@code domain} is the agent jar's own, at {@code agentLocation}: its classes are never rewritten. */
    static boolean isAgentClass(ProtectionDomain domain, String agentLocation) {
        if (domain == null || domain.getCodeSource() == null || domain.getCodeSource().getLocation() == null) {
            return false;
        }
        return domain.getCodeSource().getLocation().toString().equals(agentLocation);
    }
}
