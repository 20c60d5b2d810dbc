package dev.hotpot.object;

import dev.hotpot.HotpotException;
import dev.hotpot.SchemaMismatchException;
import dev.hotpot.heap.Heap;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The objects of one heap as this JVM sees them: the heap's {@link SchemaRegistry}, which Java
 * class each stored layout belongs to, the identity map of handles, the enum tables, and the
 * fields that objects of earlier layouts keep outside their block ({@link AddedFields}). One
 * object space serves a heap for as long as it is open.
 *
 * <p>Invariants: binding a class reads no heap page (it may run in a static initializer inside a
 * transaction, where a wait for a page lock could fail the initialization for good); a handle's
 * address never changes; the identity map holds a handle for an address only while the heap
 * (as this thread's transaction sees it) has that object there.
 *
 * <p>Threading: safe from any thread.
 */
public final class ObjectSpace {
    /** Marks the offset of a field that objects of an earlier layout version of its class lack. */
    static final long ADDED = Long.MIN_VALUE;
    private static final MethodType FACTORY = MethodType.methodType(void.class, Materializer.class, long.class);
    private static final MethodType FACTORY_ERASED = MethodType.methodType(Object.class, Materializer.class, long.class);

    private final Heap heap;
    private final SchemaRegistry schema;
    private final Handles handles = new Handles();
    private final PendingChanges pending;
    private final EnumTable enums;
    private final AddedFields addedFields;
    private final ConcurrentHashMap<Class<?>, TypeBinding> byClass = new ConcurrentHashMap<>();
    /** Committed class ids, of the current and of earlier layout versions, to the class that reads them. */
    private final ConcurrentHashMap<Integer, TypeBinding> byClassId = new ConcurrentHashMap<>();
    private final StoredNames storedNames = new StoredNames();

    /**
     * Call outside any transaction: loads the committed schema.
     *
     * @param addressMaps makes the map that holds the extension blocks of objects of earlier layouts
     */
    public ObjectSpace(Heap heap, AddressMapFactory addressMaps) {
        this.heap = heap;
        this.schema = new SchemaRegistry(heap);
        this.pending = new PendingChanges(heap, this, handles);
        this.enums = new EnumTable(heap, schema);
        this.addedFields = new AddedFields(heap, this, addressMaps);
        schema.loadCommitted();
    }

    public Heap heap() {
        return heap;
    }

    // ---- classes ----------------------------------------------------------------------------

    /**
     * Binds the class of {@code lookup} (a {@link PersistentObject} subclass) with its own
     * persistent fields {@code own} to a layout compatible with what the heap stores, and returns
     * the offsets of {@code own} in order; an offset has the {@link #ADDED} bit when objects of
     * an earlier stored layout lack the field. Called once per class, from its static
     * initializer; reads only the committed schema snapshot, never a heap page.
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
        List<SchemaRegistry.Entry> versions = schema.committedVersions(type.getName());
        SchemaRegistry.Entry stored = versions.isEmpty() ? null : versions.getLast();
        ClassLayout layout = LayoutPlanner.plan(type.getName(), superLayout, storedNames.stored(own),
                stored == null ? null : stored.layout());
        MethodHandle factory = null;
        if (!Modifier.isAbstract(type.getModifiers())) {
            try {
                factory = lookup.findConstructor(type, FACTORY).asType(FACTORY_ERASED);
            } catch (ReflectiveOperationException e) {
                throw new HotpotException("class " + type.getName() + " has no handle constructor; it was not rewritten"
                        + " by this version of the hotpot agent", e);
            }
        }
        boolean alreadyStored = stored != null && stored.layout().equals(layout);
        TypeBinding binding = new TypeBinding(type, layout, factory, alreadyStored ? stored.classId() : 0);
        add(binding);
        long[] offsets = LayoutPlanner.offsetsOf(layout, own);
        for (SchemaRegistry.Entry earlier : versions) {
            if (!earlier.layout().equals(layout) && layout.fields().containsAll(earlier.layout().fields())) {
                byClassId.put(earlier.classId(), binding);
                for (int i = 0; i < own.size(); i++) {
                    if (earlier.layout().field(own.get(i).name()).isEmpty()) {
                        offsets[i] |= ADDED;
                    }
                }
            }
        }
        return offsets;
    }

    /**
     * Binds a runtime class whose layout is fixed (the persistent collections). The layout names
     * the class as the heap stores it, which may differ from {@code type}'s name ({@link StoredNames});
     * call before binding classes with fields of that type. {@code lookup} must see the class's
     * handle constructor.
     */
    public void bindBuiltIn(Class<? extends PersistentObject> type, ClassLayout layout, MethodHandles.Lookup lookup) {
        if (byClass.containsKey(type)) {
            return;
        }
        List<SchemaRegistry.Entry> versions = schema.committedVersions(layout.className());
        SchemaRegistry.Entry stored = versions.isEmpty() ? null : versions.getLast();
        if (stored != null && !stored.layout().equals(layout)) {
            throw new SchemaMismatchException("heap=" + heap.name() + " stores " + type.getName() + " with another"
                    + " layout than this runtime (" + stored.layout() + "); open it with the hotpot version that made it");
        }
        try {
            add(new TypeBinding(type, layout, lookup.findConstructor(type, FACTORY).asType(FACTORY_ERASED),
                    stored == null ? 0 : stored.classId()));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(type + " lacks its handle constructor", e);
        }
        storedNames.add(type, layout.className());
    }

    private void add(TypeBinding binding) {
        byClass.put(binding.type, binding);
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

    /**
     * The class id of {@code binding}, storing its layout in the calling transaction if needed.
     * Every byte written in the shape of a layout (an object, an extension block) is preceded by
     * this, so a stored layout is never reinterpreted by a later class version.
     */
    int classIdFor(TypeBinding binding) {
        int id = binding.committedClassId();
        if (id != 0) {
            return id;
        }
        Integer mine = pending.classId(binding);
        if (mine != null) {
            return mine;
        }
        int fresh = schema.register(binding.layout);
        pending.registered(binding, fresh);
        return fresh;
    }

    /** Makes a class id registered by a committing transaction known to every thread. */
    void publish(TypeBinding binding, int classId) {
        binding.publish(classId);
        byClassId.put(classId, binding);
    }

    /** Bytes of the object at {@code address} that its own block holds (its layout version's size). */
    int inlineSize(long address) {
        return schema.lookup(heap.getInt(address + ObjectHeader.CLASS_ID)).layout().size();
    }

    /** The size of new objects of {@code type}. */
    int layoutSize(Class<?> type) {
        return binding(type).layout.size();
    }

    // ---- objects ----------------------------------------------------------------------------

    /** Allocates the object of a new handle, in the open or its own transaction, and returns its address. */
    long allocate(PersistentObject handle) {
        TypeBinding binding = binding(handle.getClass());
        return heap.transaction(() -> {
            int classId = classIdFor(binding);
            long block = heap.allocateObject(binding.layout.size());
            heap.putInt(block + ObjectHeader.CLASS_ID, classId);
            heap.putInt(block + ObjectHeader.IDENTITY, ThreadLocalRandom.current().nextInt());
            pending.allocated(block, handle);
            return block;
        });
    }

    /**
     * The object a reference field at {@code field} points to. A known handle is taken only if no
     * commit touched the field's page across the lookup (outside a transaction: the page version
     * is unchanged; inside one: re-reading the field would abort the transaction): otherwise a
     * commit in between may have freed the object and published another one at its block, even
     * if the field now holds the same address again. Unknown objects are materialized with the
     * field and the object's header read in one transaction.
     */
    Object readReference(long field, Class<?> declared) {
        boolean inTransaction = heap.inTransaction();
        while (true) {
            long version = inTransaction ? 0 : heap.committedVersion(field);
            long address = heap.getLong(field);
            if (address == 0) {
                return null;
            }
            Object known = pending.handle(address);
            if (known == null || !declared.isInstance(known)) {
                return heap.transaction(() -> {
                    Object made = handle(heap.getLong(field), declared);
                    heap.getLong(field);
                    return made;
                });
            }
            if (inTransaction ? heap.getLong(field) == address : heap.committedVersion(field) == version) {
                return known;
            }
        }
    }

    /** The handle of the object at {@code address} (0 gives null), made if this JVM has none yet. */
    Object handle(long address, Class<?> declared) {
        if (address == 0) {
            return null;
        }
        Object known = pending.handle(address);
        if (known == null) {
            known = heap.transaction(() -> materialize(address, declared));
        }
        if (!declared.isInstance(known)) {
            throw new SchemaMismatchException("the object at address=" + address + " is a " + known.getClass().getName()
                    + " (class loader " + known.getClass().getClassLoader() + ") but is read as a " + declared.getName()
                    + " (class loader " + declared.getClassLoader() + ") in heap=" + heap.name()
                    + "; a field or root changed its type: keep the stored type or migrate the data");
        }
        return known;
    }

    /** Makes the handle of the committed object at {@code address}; runs in a transaction. */
    private Object materialize(long address, Class<?> declared) {
        Object known = pending.handle(address);
        if (known != null) {
            return known;
        }
        int classId = heap.getInt(address + ObjectHeader.CLASS_ID);
        TypeBinding binding = byClassId.get(classId);
        if (binding == null || !declared.isAssignableFrom(binding.type)) {
            binding = bindingOf(classId, address, declared);
        }
        return handles.intern(address, binding.materialize(address));
    }

    /** The binding that reads objects of {@code classId}, loading their class through {@code declared}'s loader. */
    private TypeBinding bindingOf(int classId, long address, Class<?> declared) {
        SchemaRegistry.Entry entry;
        try {
            entry = schema.lookup(classId);
        } catch (IllegalArgumentException e) {
            throw new dev.hotpot.HeapCorruptException("no persistent object at address=" + address + " of heap="
                    + heap.name() + " (its header names class id " + classId + ", which the schema does not hold);"
                    + " a freed or never-committed object was referenced", e);
        }
        String className = entry.layout().className();
        Class<?> type = storedNames.classOf(className);
        if (type == null) {
            type = load(className, address, declared);
        }
        TypeBinding binding = byClass.get(type);
        if (binding == null) {
            throw new HotpotException("class " + className + " holds objects in heap=" + heap.name()
                    + " but is not bound: annotate it @Persistent and run with -javaagent:hotpot.jar");
        }
        if (binding.committedClassId() != classId && !binding.layout.fields().containsAll(entry.layout().fields())) {
            throw new SchemaMismatchException("the object at address=" + address + " of class " + className
                    + " was stored with layout version " + entry.version() + " " + entry.layout().fields()
                    + ", whose fields the class's current layout " + binding.layout.fields()
                    + " does not all keep; keep the class as it was stored");
        }
        return binding;
    }

    /** The class {@code className} of the object at {@code address}, loaded through {@code declared}'s loader. */
    private static Class<?> load(String className, long address, Class<?> declared) {
        ClassLoader loader = declared.getClassLoader();
        if (loader == null) {
            loader = Thread.currentThread().getContextClassLoader();
        }
        try {
            return Class.forName(className, true, loader == null ? ClassLoader.getSystemClassLoader() : loader);
        } catch (ClassNotFoundException e) {
            throw new HotpotException("the object at address=" + address + " is a " + className
                    + ", which class loader " + loader + " cannot find; put it on the class path", e);
        }
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
                + heap.name() + "; store @Persistent objects or the dev.hotpot.collections persistent collections");
    }

    /**
     * Frees {@code value}'s object and what it owns (its strings, its added fields, a
     * collection's blocks). Its handle leaves the identity map when the transaction commits; the
     * block may serve a new object in the same transaction.
     */
    void free(PersistentObject value) {
        TypeBinding binding = binding(value.getClass());
        long address = value.hotpot$address;
        heap.transaction(() -> {
            for (FieldLayout field : binding.layout.fields()) {
                if (field.descriptor().equals("Ljava/lang/String;")) {
                    long at = fieldAddress(value, field.offset(), false);
                    long blob = at == 0 ? 0 : heap.getLong(at);
                    if (blob != 0) {
                        heap.free(blob);
                    }
                }
            }
            if (value.hotpot$inlineSize < binding.layout.size()) {
                addedFields.free(address);
            }
            if (value instanceof OwnsBlocks owner) {
                owner.freeOwnedBlocks();
            }
            heap.free(address);
            pending.freed(address);
        });
    }

    /**
     * Where the field at {@code offset} (its {@link #ADDED} bit ignored) of {@code object} lives:
     * in the object's block, or for a field its layout version lacks, in its extension block
     * ({@link AddedFields}); 0 when that field was never stored and {@code forWrite} is false.
     * Call in a transaction; the address is valid in it.
     */
    long fieldAddress(PersistentObject object, long offset, boolean forWrite) {
        long real = offset & ~ADDED;
        return real < object.hotpot$inlineSize ? object.hotpot$address + real : addedFields.address(object, real, forWrite);
    }

    // ---- values -----------------------------------------------------------------------------

    /** The string in the field at {@code field}: the field and its blob are read in one transaction. */
    String readString(long field) {
        return heap.transaction(() -> {
            long blob = heap.getLong(field);
            return blob == 0 ? null : StringBlobs.read(heap, blob);
        });
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
}
