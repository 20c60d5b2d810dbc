package dev.hotpot.object;

import dev.hotpot.HotpotException;
import dev.hotpot.SchemaMismatchException;
import dev.hotpot.heap.Heap;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The objects of one heap as this JVM sees them: which Java class each stored layout belongs to,
 * the identity map of handles, and the enum tables.
 *
 * <p>Threading: safe from any thread.
 */
public final class ObjectSpace {
    private static final MethodType FACTORY = MethodType.methodType(void.class, Materializer.class, long.class);

    private final Heap heap;
    private final Handles handles = new Handles();
    private final EnumTable enums;
    private final ConcurrentHashMap<Class<?>, TypeBinding> byClass = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Integer, TypeBinding> byClassId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, TypeBinding> byName = new ConcurrentHashMap<>();

    public ObjectSpace(Heap heap) {
        this.heap = heap;
        this.enums = new EnumTable(heap);
    }

    public Heap heap() {
        return heap;
    }

    // ---- classes ----------------------------------------------------------------------------

    /**
     * Binds the class of {@code lookup} (a {@link PersistentObject} subclass) with its own
     * persistent fields {@code own} to a layout compatible with what the heap stores, and returns
     * the offsets of {@code own} in order. Called once per class, from its static initializer.
     *
     * @throws SchemaMismatchException if the stored layout cannot hold the class's fields
     */
    public long[] bind(MethodHandles.Lookup lookup, List<FieldSpec> own) {
        Class<?> type = lookup.lookupClass();
        Class<?> parent = type.getSuperclass();
        ClassLayout superLayout = null;
        if (parent != PersistentObject.class) {
            TypeBinding parentBinding = byClass.get(parent);
            if (parentBinding == null) {
                throw new HotpotException("class " + type.getName() + ": its superclass " + parent.getName()
                        + " is not a bound persistent class; annotate it @Persistent and run with the hotpot agent");
            }
            superLayout = parentBinding.layout;
        }
        SchemaRegistry.Entry stored = heap.schema().latest(type.getName());
        ClassLayout layout = LayoutPlanner.plan(type.getName(), superLayout, own, stored == null ? null : stored.layout());
        MethodHandle factory = null;
        if (!Modifier.isAbstract(type.getModifiers())) {
            try {
                factory = lookup.findConstructor(type, FACTORY).asType(
                        MethodType.methodType(Object.class, Materializer.class, long.class));
            } catch (ReflectiveOperationException e) {
                throw new HotpotException("class " + type.getName() + " has no handle constructor; it was not rewritten"
                        + " by this version of the hotpot agent", e);
            }
        }
        boolean alreadyStored = stored != null && stored.layout().equals(layout);
        TypeBinding binding = new TypeBinding(type, layout, factory, alreadyStored ? stored.classId() : 0);
        add(binding);
        return LayoutPlanner.offsetsOf(layout, own);
    }

    /** Binds a runtime class whose layout is fixed (the persistent collections). */
    public void bindBuiltIn(Class<? extends PersistentObject> type, ClassLayout layout, MethodHandles.Lookup lookup) {
        if (byClass.containsKey(type)) {
            return;
        }
        SchemaRegistry.Entry stored = heap.schema().latest(type.getName());
        if (stored != null && !stored.layout().equals(layout)) {
            throw new SchemaMismatchException("heap=" + heap.name() + " stores " + type.getName() + " with another"
                    + " layout than this runtime (" + stored.layout() + "); open it with the hotpot version that made it");
        }
        try {
            MethodHandle factory = lookup.findConstructor(type, FACTORY)
                    .asType(MethodType.methodType(Object.class, Materializer.class, long.class));
            add(new TypeBinding(type, layout, factory, stored == null ? 0 : stored.classId()));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(type + " lacks its handle constructor", e);
        }
    }

    private void add(TypeBinding binding) {
        byClass.put(binding.type, binding);
        byName.put(binding.type.getName(), binding);
        int id = binding.committedClassId();
        if (id != 0) {
            byClassId.put(id, binding);
        }
    }

    /** The binding of {@code type}; its layout says where its fields are. */
    TypeBinding binding(Class<?> type) {
        TypeBinding binding = byClass.get(type);
        if (binding == null) {
            throw new HotpotException("class " + type.getName() + " is not a bound persistent class; annotate it"
                    + " @Persistent and run with -javaagent:hotpot.jar");
        }
        return binding;
    }

    /** The class id of {@code binding}, storing its layout in the calling transaction if needed. */
    private int classIdFor(TypeBinding binding) {
        int id = binding.committedClassId();
        if (id != 0) {
            return id;
        }
        int fresh = heap.schema().register(binding.layout);
        heap.afterCommit(() -> {
            binding.publish(fresh);
            byClassId.put(fresh, binding);
        });
        return fresh;
    }

    // ---- objects ----------------------------------------------------------------------------

    /** Allocates the object of a new handle, in the open or its own transaction, and returns its address. */
    long allocate(PersistentObject handle) {
        TypeBinding binding = binding(handle.getClass());
        long address = heap.transaction(() -> {
            int classId = classIdFor(binding);
            long block = heap.allocateObject(binding.layout.size());
            heap.putInt(block + ObjectHeader.CLASS_ID, classId);
            heap.putInt(block + ObjectHeader.IDENTITY, java.util.concurrent.ThreadLocalRandom.current().nextInt());
            heap.onRollback(() -> handles.remove(block, handle));
            return block;
        });
        handles.intern(address, handle);
        return address;
    }

    /** The handle of the object at {@code address} (0 gives null), made if this JVM has none yet. */
    Object handle(long address, Class<?> declared) {
        if (address == 0) {
            return null;
        }
        Object known = handles.get(address);
        if (known == null) {
            known = heap.transaction(() -> materialize(address, declared));
        }
        if (!declared.isInstance(known)) {
            throw new SchemaMismatchException("the object at address=" + address + " is a " + known.getClass().getName()
                    + " but is read as a " + declared.getName() + " in heap=" + heap.name()
                    + "; a field or root changed its type: keep the stored type or migrate the data");
        }
        return known;
    }

    /**
     * Makes the handle of the object stored at {@code stored}: follows forwarders of objects that
     * moved, and moves an object stored with an earlier layout version of its class to a block
     * of the current layout (new fields read as their defaults). Runs in a transaction.
     */
    private Object materialize(long stored, Class<?> declared) {
        long address = heap.resolveForwarding(stored);
        Object known = handles.get(address);
        if (known != null) {
            return known;
        }
        int classId = heap.getInt(address + ObjectHeader.CLASS_ID);
        TypeBinding binding = byClassId.get(classId);
        if (binding == null) {
            SchemaRegistry.Entry entry = storedClass(classId, address);
            binding = boundClass(entry.layout().className(), address, declared);
            if (binding.committedClassId() != classId) {
                address = migrate(address, entry, binding);
            }
        }
        Object handle = binding.materialize(address);
        Object winner = handles.intern(address, handle);
        if (winner == handle) {
            long at = address;
            heap.onRollback(() -> handles.remove(at, handle));
        }
        return winner;
    }

    private SchemaRegistry.Entry storedClass(int classId, long address) {
        try {
            return heap.schema().lookup(classId);
        } catch (IllegalArgumentException e) {
            throw new dev.hotpot.HeapCorruptException("no persistent object at address=" + address + " of heap="
                    + heap.name() + " (its header names class id " + classId + ", which the schema does not hold);"
                    + " a freed or never-committed object was referenced", e);
        }
    }

    /**
     * The binding of the class named {@code className}: one already bound, else the class as the
     * loader of {@code declared} (or, for JDK types such as {@code Object}, the context class
     * loader) finds it, which binds it as it initializes.
     */
    private TypeBinding boundClass(String className, long address, Class<?> declared) {
        TypeBinding binding = byName.get(className);
        if (binding != null) {
            return binding;
        }
        ClassLoader loader = declared.getClassLoader();
        if (loader == null) {
            loader = Thread.currentThread().getContextClassLoader();
        }
        Class<?> type;
        try {
            type = Class.forName(className, true, loader == null ? ClassLoader.getSystemClassLoader() : loader);
        } catch (ClassNotFoundException e) {
            throw new HotpotException("the object at address=" + address + " is a " + className
                    + ", which the class loader of " + declared.getName() + " cannot find; put it on the class path", e);
        }
        binding = byClass.get(type);
        if (binding == null) {
            throw new HotpotException("class " + className + " holds objects in heap=" + heap.name()
                    + " but is not bound: annotate it @Persistent and run with -javaagent:hotpot.jar");
        }
        return binding;
    }

    /**
     * Moves the object at {@code address}, stored with the earlier layout {@code stored}, to a new
     * block of the binding's layout and leaves a forwarder behind. Stored fields keep their
     * offsets (see {@link LayoutPlanner}), so their bytes are copied as they are.
     */
    private long migrate(long address, SchemaRegistry.Entry stored, TypeBinding binding) {
        for (FieldLayout old : stored.layout().fields()) {
            if (!binding.layout.fields().contains(old)) {
                throw new SchemaMismatchException("the object at address=" + address + " of class "
                        + binding.type.getName() + " was stored with layout version " + stored.version()
                        + " whose field " + old + " the class's current layout " + binding.layout.fields()
                        + " does not keep; keep the class as it was stored");
            }
        }
        long moved = heap.allocateObject(binding.layout.size());
        heap.putInt(moved + ObjectHeader.CLASS_ID, classIdFor(binding));
        heap.putInt(moved + ObjectHeader.IDENTITY, heap.getInt(address + ObjectHeader.IDENTITY));
        int fieldBytes = stored.layout().size() - ObjectHeader.SIZE;
        if (fieldBytes > 0) {
            heap.putBytes(moved + ObjectHeader.SIZE, heap.getBytes(address + ObjectHeader.SIZE, fieldBytes));
        }
        heap.forward(address, moved);
        return moved;
    }

    /** The address of persistent object {@code value}, 0 for null. */
    long addressOf(Object value) {
        if (value == null) {
            return 0;
        }
        if (value instanceof PersistentObject persistent) {
            return persistent.hotpot$address;
        }
        throw new IllegalArgumentException("a " + value.getClass().getName() + " cannot be stored in heap="
                + heap.name() + "; store @Persistent objects or the dev.hotpot persistent collections");
    }

    /** Frees {@code value}'s object and what it owns (its strings); its handle must not be used afterwards. */
    void free(PersistentObject value) {
        TypeBinding binding = binding(value.getClass());
        long address = value.hotpot$address;
        heap.transaction(() -> {
            for (FieldLayout field : binding.layout.fields()) {
                if (field.descriptor().equals("Ljava/lang/String;")) {
                    long blob = heap.getLong(address + field.offset());
                    if (blob != 0) {
                        heap.free(blob);
                    }
                }
            }
            if (value instanceof OwnsBlocks owner) {
                owner.freeOwnedBlocks();
            }
            heap.free(address);
            heap.afterCommit(() -> handles.remove(address, value));
        });
    }

    // ---- values -----------------------------------------------------------------------------

    String readString(long field) {
        long blob = heap.getLong(field);
        return blob == 0 ? null : StringBlobs.read(heap, blob);
    }

    void writeString(long field, String value) {
        heap.transaction(() -> {
            long old = heap.getLong(field);
            heap.putLong(field, value == null ? 0 : StringBlobs.write(heap, value));
            if (old != 0) {
                heap.free(old);
            }
        });
    }

    int enumId(Enum<?> constant) {
        return constant == null ? 0 : enums.idOf(constant);
    }

    <E extends Enum<E>> E enumConstant(Class<E> type, int id) {
        return enums.constantOf(type, id);
    }

    int enumTableId(Class<?> type) {
        return enums.tableId(type);
    }

    Enum<?> enumConstant(int tableId, int id) {
        return enums.constantOf(tableId, id);
    }

    /** Handles this JVM holds (for tests and {@code stats}). */
    public int liveHandles() {
        return handles.size();
    }
}
