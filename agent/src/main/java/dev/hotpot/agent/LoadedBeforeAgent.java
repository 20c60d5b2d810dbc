package dev.hotpot.agent;

import dev.hotpot.Persistent;
import dev.hotpot.Transactional;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The application classes a late-attached agent finds already loaded. They keep their shape:
 * {@code @Persistent} ones stay ordinary Java classes and {@code @Transactional} methods stay
 * plain methods, and both are reported. Their code is retransformed so that it reaches the fields
 * of persistent classes loaded later; frames running at that moment keep the old code.
 */
final class LoadedBeforeAgent {
    private static final System.Logger LOG = System.getLogger(LoadedBeforeAgent.class.getName());

    private LoadedBeforeAgent() {
    }

    /** Marks, reports and retransforms the loaded classes; call after the transformer is added (retransform capable). */
    static void handle(Instrumentation instrumentation, PersistenceTransformer transformer, String agentLocation) {
        List<Class<?>> retransform = new ArrayList<>();
        List<String> persistent = new ArrayList<>();
        List<String> transactional = new ArrayList<>();
        for (Class<?> type : instrumentation.getAllLoadedClasses()) {
            if (!isApplicationClass(instrumentation, type, agentLocation)) {
                continue;
            }
            retransform.add(type);
            transformer.markLoadedBeforeAgent(type);
            if (type.isAnnotationPresent(Persistent.class)) {
                persistent.add(type.getName());
            }
            for (Method method : type.getDeclaredMethods()) {
                if (method.isAnnotationPresent(Transactional.class)) {
                    transactional.add(type.getName() + "." + method.getName());
                }
            }
        }
        report(persistent, "@Persistent classes", "stay ordinary Java objects");
        report(transactional, "@Transactional methods", "run without a transaction");
        if (!retransform.isEmpty()) {
            try {
                instrumentation.retransformClasses(retransform.toArray(Class<?>[]::new));
            } catch (Exception | LinkageError e) {
                LOG.log(System.Logger.Level.ERROR, "hotpot agent: could not retransform classes loaded before it started;"
                        + " their code may not reach persistent fields: " + e, e);
            }
        }
    }

    private static boolean isApplicationClass(Instrumentation instrumentation, Class<?> type, String agentLocation) {
        if (type.getClassLoader() == null || type.isArray() || type.isHidden() || !instrumentation.isModifiableClass(type)
                || TypeInspector.isPlatformName(type.getName().replace('.', '/'))) {
            return false;
        }
        return !PersistenceTransformer.isAgentClass(type.getProtectionDomain(), agentLocation);
    }

    private static void report(List<String> names, String what, String consequence) {
        if (!names.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, String.format(Locale.ROOT, "hotpot agent: %d %s were loaded before the"
                    + " agent started and %s (start the JVM with -javaagent:hotpot.jar to change that): %s",
                    names.size(), what, consequence, String.join(", ", names)));
        }
    }
}
