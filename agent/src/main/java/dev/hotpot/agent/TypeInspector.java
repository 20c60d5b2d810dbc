package dev.hotpot.agent;

import dev.hotpot.object.FieldKind;
import net.bytebuddy.description.annotation.AnnotationDescription;
import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers what the rewriters need to know about classes by reading their class files through the
 * class loader that defines the class being transformed, never by loading them: which classes are
 * {@code @Persistent} (and valid), and which persistent field a field instruction refers to.
 *
 * <p>Threading: safe from any thread; answers are cached per class loader and never change.
 */
final class TypeInspector {
    private static final String PERSISTENT_TYPE = "dev.hotpot.Persistent";
    private static final String PERSISTENT_OBJECT = "dev.hotpot.object.PersistentObject";

    private final Map<ClassLoader, LoaderView> views = new WeakHashMap<>();

    /**
     * The cached view of one class loader's classes: class files come from the bytes the JVM
     * handed to the transformer (for classes defined without a resource) or else from the
     * loader's resources. The loader is held weakly, so the view never keeps it alive.
     */
    private static final class LoaderView {
        final TypePool pool;
        final Map<String, byte[]> definedBytes = new ConcurrentHashMap<>();
        final Map<String, Optional<PersistentClass>> classes = new ConcurrentHashMap<>();
        final Map<String, Optional<PersistentField>> fieldRefs = new ConcurrentHashMap<>();

        LoaderView(ClassLoader loader) {
            ClassFileLocator defined = new ClassFileLocator() {
                @Override
                public Resolution locate(String name) {
                    byte[] bytes = definedBytes.get(name);
                    return bytes == null ? new Resolution.Illegal(name) : new Resolution.Explicit(bytes);
                }

                @Override
                public void close() {
                }
            };
            pool = new TypePool.Default.WithLazyResolution(new TypePool.CacheProvider.Simple(),
                    new ClassFileLocator.Compound(defined, ClassFileLocator.ForClassLoader.WeaklyReferenced.of(loader)),
                    TypePool.Default.ReaderMode.FAST);
        }
    }

    /** Remembers the class file of {@code internalName} as the JVM is defining it (before inspecting it). */
    void remember(ClassLoader loader, String internalName, byte[] bytes) {
        if (loader != null) {
            view(loader).definedBytes.putIfAbsent(internalName.replace('/', '.'), bytes);
        }
    }

    private LoaderView view(ClassLoader loader) {
        synchronized (views) {
            return views.computeIfAbsent(loader, LoaderView::new);
        }
    }

    /**
     * Records that {@code internalName} was loaded, unrewritten, before the agent started: it
     * stays an ordinary class, accesses to its fields stay field accesses, and persistent
     * subclasses of it are refused.
     */
    void markLoadedBeforeAgent(ClassLoader loader, String internalName) {
        if (loader != null) {
            view(loader).classes.put(internalName, Optional.of(new PersistentClass(internalName, null, List.of(),
                    "class " + internalName.replace('/', '.') + " was loaded before the hotpot agent started, so it stays"
                            + " an ordinary Java class; start the JVM with -javaagent:hotpot.jar to make it persistent")));
        }
    }

    /** The {@code @Persistent} class {@code internalName} as seen from {@code loader}, or null if it is not one. */
    PersistentClass persistentClass(ClassLoader loader, String internalName) {
        if (loader == null || isPlatformName(internalName)) {
            return null;
        }
        LoaderView view = view(loader);
        Optional<PersistentClass> cached = view.classes.get(internalName);
        if (cached == null) {
            cached = Optional.ofNullable(inspect(loader, view, internalName));
            view.classes.putIfAbsent(internalName, cached);
        }
        return cached.orElse(null);
    }

    /**
     * The persistent field a {@code GETFIELD}/{@code PUTFIELD} of {@code owner.name:descriptor}
     * resolves to (searching superclasses as the JVM does), or null when it is an ordinary field.
     */
    PersistentField resolveField(ClassLoader loader, String owner, String name, String descriptor) {
        if (loader == null || isPlatformName(owner)) {
            return null;
        }
        LoaderView view = view(loader);
        String key = owner + '.' + name + ':' + descriptor;
        Optional<PersistentField> cached = view.fieldRefs.get(key);
        if (cached == null) {
            cached = Optional.ofNullable(resolve(loader, view, owner, name, descriptor));
            view.fieldRefs.putIfAbsent(key, cached);
        }
        return cached.orElse(null);
    }

    private PersistentField resolve(ClassLoader loader, LoaderView view, String owner, String name, String descriptor) {
        for (String current = owner; current != null && !isPlatformName(current); ) {
            TypePool.Resolution resolution = view.pool.describe(current.replace('/', '.'));
            if (!resolution.isResolved()) {
                return null;
            }
            TypeDescription type = resolution.resolve();
            for (FieldDescription.InDefinedShape field : type.getDeclaredFields()) {
                if (field.getName().equals(name) && field.getDescriptor().equals(descriptor)) {
                    if (field.isStatic()) {
                        return null;
                    }
                    PersistentClass declaring = persistentClass(loader, current);
                    return declaring == null || declaring.refused() ? null : declaring.field(name);
                }
            }
            TypeDescription.Generic parent = type.getSuperClass();
            current = parent == null ? null : parent.asErasure().getInternalName();
        }
        return null;
    }

    private PersistentClass inspect(ClassLoader loader, LoaderView view, String internalName) {
        TypePool.Resolution resolution = view.pool.describe(internalName.replace('/', '.'));
        if (!resolution.isResolved() || !isAnnotatedPersistent(resolution.resolve())) {
            return null;
        }
        TypeDescription type = resolution.resolve();
        String superName = type.getSuperClass() == null ? null : type.getSuperClass().asErasure().getInternalName();
        String javaName = type.getName();
        String refusal = refusalOfClass(loader, type, superName);
        List<PersistentField> fields = new ArrayList<>();
        if (refusal == null) {
            for (FieldDescription.InDefinedShape field : type.getDeclaredFields()) {
                if (field.isStatic() || field.isTransient()) {
                    continue;
                }
                if (field.isSynthetic()) {
                    refusal = "class " + javaName + " cannot be @Persistent: it is an inner or local class with a hidden"
                            + " reference to its enclosing instance or captured variables (field " + field.getName()
                            + "); make it a static nested or top-level class";
                    break;
                }
                String problem = null;
                FieldKind kind = FieldKind.ofPrimitive(field.getDescriptor().charAt(0));
                if (kind == null) {
                    kind = referenceKind(view, field.getType().asErasure());
                    if (kind == null) {
                        problem = whatToUseInstead(field.getType().asErasure());
                    }
                }
                if (problem != null) {
                    refusal = "class " + javaName + ", field '" + field.getName() + "': type "
                            + field.getType().asErasure().getActualName() + " cannot be stored in a persistent heap; " + problem;
                    break;
                }
                fields.add(new PersistentField(internalName, field.getName(), field.getDescriptor(), kind, field.getModifiers()));
            }
        }
        return new PersistentClass(internalName, superName, refusal == null ? List.copyOf(fields) : List.of(), refusal);
    }

    private String refusalOfClass(ClassLoader loader, TypeDescription type, String superName) {
        String name = type.getName();
        if (type.isInterface() || type.isEnum() || type.isRecord() || type.isAnnotation()) {
            return "type " + name + " cannot be @Persistent: only classes can (not interfaces, enums, records or annotations)";
        }
        if ("java/lang/Object".equals(superName)) {
            return null;
        }
        PersistentClass parent = persistentClass(loader, superName);
        if (parent == null) {
            return "class " + name + " cannot be @Persistent: its superclass " + superName.replace('/', '.')
                    + " is not @Persistent; annotate the superclass @Persistent too, or extend Object";
        }
        if (parent.refused()) {
            return "class " + name + " cannot be @Persistent because its superclass cannot: " + parent.refusal();
        }
        return null;
    }

    private static FieldKind referenceKind(LoaderView view, TypeDescription type) {
        if (type.isArray()) {
            return null;
        }
        if (type.getName().equals("java.lang.String")) {
            return FieldKind.STRING;
        }
        TypePool.Resolution resolution = view.pool.describe(type.getName());
        if (!resolution.isResolved()) {
            return null;
        }
        TypeDescription resolved = resolution.resolve();
        if (resolved.isEnum()) {
            return FieldKind.ENUM;
        }
        if (isAnnotatedPersistent(resolved) || extendsPersistentObject(resolved)) {
            return FieldKind.REFERENCE;
        }
        return null;
    }

    private static String whatToUseInstead(TypeDescription type) {
        if (type.isArray()) {
            return type.getComponentType().isPrimitive()
                    ? "Java arrays are not persistent: use the matching dev.hotpot.collections.Persistent"
                    + capitalized(type.getComponentType().getName()) + "Array"
                    : "Java arrays are not persistent: use dev.hotpot.collections.PersistentArray";
        }
        if (type.isAssignableTo(java.util.SortedMap.class)) {
            return "java.util maps are not persistent: use dev.hotpot.collections.PersistentSortedMap (ordered, a NavigableMap)";
        }
        if (type.isAssignableTo(Map.class)) {
            return "java.util maps are not persistent: use dev.hotpot.collections.PersistentMap, or PersistentSortedMap for key order";
        }
        if (type.isAssignableTo(Collection.class)) {
            return "java.util collections are not persistent: use dev.hotpot.collections.PersistentList (or PersistentMap)";
        }
        if (type.isPrimitiveWrapper()) {
            return "boxed values are not persistent: use the primitive type " + type.asUnboxed().getName();
        }
        if (type.isInterface()) {
            return "interface types cannot be stored (an interface cannot be @Persistent); use an abstract @Persistent"
                    + " class as the field type, or mark the field transient to keep it off the heap";
        }
        return "only primitives, String, enums, @Persistent classes and dev.hotpot.collections persistent collections are;"
                + " annotate " + type.getName() + " @Persistent, or mark the field transient to keep it off the heap";
    }

    private static String capitalized(String primitive) {
        return Character.toUpperCase(primitive.charAt(0)) + primitive.substring(1);
    }

    private static boolean isAnnotatedPersistent(TypeDescription type) {
        for (AnnotationDescription annotation : type.getDeclaredAnnotations()) {
            if (annotation.getAnnotationType().getName().equals(PERSISTENT_TYPE)) {
                return true;
            }
        }
        return false;
    }

    private static boolean extendsPersistentObject(TypeDescription type) {
        for (TypeDefinition current = type; current != null; current = current.getSuperClass()) {
            if (current.asErasure().getName().equals(PERSISTENT_OBJECT)) {
                return true;
            }
        }
        return false;
    }

    /** Classes of the platform that are never persistent and never refer to persistent fields. */
    static boolean isPlatformName(String internalName) {
        return internalName.startsWith("java/") || internalName.startsWith("javax/") || internalName.startsWith("jdk/")
                || internalName.startsWith("sun/") || internalName.startsWith("com/sun/");
    }
}
