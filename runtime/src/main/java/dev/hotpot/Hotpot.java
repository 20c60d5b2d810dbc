package dev.hotpot;

import dev.hotpot.collections.BuiltIns;
import dev.hotpot.collections.PersistentMap;
import dev.hotpot.heap.Heap;
import dev.hotpot.metrics.MetricsEndpoint;
import dev.hotpot.object.ObjectRuntime;
import dev.hotpot.object.ObjectSpace;
import dev.hotpot.object.PersistentObject;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.function.Supplier;

/**
 * The application's door to its persistent heap. Objects of {@code @Persistent} classes live in
 * the process's default heap, configured by {@link HotpotSettings} (agent arguments or
 * {@code hotpot.*} system properties) and opened on first use; {@code @Transactional} methods and
 * {@link #transaction} mark atomic, durable units of work.
 *
 * <pre>{@code
 * Bank bank = Hotpot.root("bank", Bank.class, Bank::new);
 * Hotpot.transaction(() -> bank.transfer(a, b, 10));
 * }</pre>
 *
 * <p>Threading: safe from any thread. The heap is closed (and checkpointed) at JVM shutdown.
 */
public final class Hotpot {
    /** Written once, under the class lock; read without it on every transaction. */
    private static volatile ObjectSpace objects;

    private Hotpot() {
    }

    /**
     * The object named {@code name}, created by {@code create} (in a transaction) and stored under
     * that name when the heap has none yet.
     *
     * @throws SchemaMismatchException if the root holds an object that is not a {@code type}
     */
    public static <T> T root(String name, Class<T> type, Supplier<? extends T> create) {
        Heap heap = heap();
        return heap.transaction(() -> {
            long address = heap.root(name);
            if (address != 0) {
                return ObjectRuntime.handle(address, type);
            }
            T created = create.get();
            if (created == null) {
                throw new IllegalArgumentException("root '" + name + "': the create function returned null");
            }
            heap.setRoot(name, addressOf(created, "root '" + name + "'"));
            return created;
        });
    }

    /** Runs {@code body} atomically and durably; see {@link Heap#transaction(Supplier)}. */
    public static <T> T transaction(Supplier<T> body) {
        return heap().transaction(body);
    }

    /** Runs {@code body} atomically and durably; see {@link Heap#transaction(Supplier)}. */
    public static void transaction(Runnable body) {
        heap().transaction(body);
    }

    /** Whether the calling thread is inside a transaction. */
    public static boolean inTransaction() {
        return heap().inTransaction();
    }

    /**
     * Frees {@code object} (and the strings and tables it owns) in the open or its own
     * transaction. Objects it references are not freed. Its handle, and any reference to it still
     * stored in the heap, must not be used afterwards.
     */
    public static void free(Object object) {
        ObjectRuntime.free((PersistentObject) requirePersistent(object, "free"));
    }

    /** Forces every committed transaction to disk, whatever the durability mode. */
    public static void flush() {
        heap().flush();
    }

    /**
     * The barrier: returns once this node shows every commit acknowledged on any node of the
     * cluster before the call. On a single node it returns at once.
     */
    public static void sync() {
        heap().sync();
    }

    /** Where the heap's metrics go ({@code hotpot.tx.commit}, {@code hotpot.log.force}, ...). */
    public static MeterRegistry meterRegistry() {
        return heap().config().meterRegistry();
    }

    /** The default heap, opened on first use. */
    public static Heap heap() {
        return objects().heap();
    }

    /** The objects of the default heap (runtime use). */
    public static ObjectSpace objects() {
        ObjectSpace current = objects;
        return current != null ? current : open();
    }

    private static synchronized ObjectSpace open() {
        if (objects == null) {
            Heap heap = openDefault(System.getProperties());
            ObjectSpace opened = new ObjectSpace(heap, PersistentMap::new);
            try {
                BuiltIns.bind(opened);
            } catch (RuntimeException e) {
                heap.close();
                throw e;
            }
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("hotpot-close").unstarted(heap::close));
            objects = opened;
        }
        return objects;
    }

    /** A local heap, or, when the settings ask for a cluster, this node's copy of the cluster heap. */
    private static Heap openDefault(java.util.Properties settings) {
        dev.hotpot.heap.HeapConfig config = HotpotSettings.heapConfig(settings);
        String http = settings.getProperty(HotpotSettings.PREFIX + HotpotSettings.HTTP);
        MetricsEndpoint endpoint = null;
        if (http != null) {
            String setting = HotpotSettings.PREFIX + HotpotSettings.HTTP;
            endpoint = MetricsEndpoint.start(MetricsEndpoint.parseAddress(http, setting), setting);
            config = config.withMeterRegistry(endpoint.registry());
        }
        if (settings.getProperty(HotpotSettings.PREFIX + HotpotSettings.PEERS) == null) {
            Heap heap = Heap.open(config);
            if (endpoint != null) {
                new LocalStatusPage(heap).serveOn(endpoint);
            }
            return heap;
        }
        for (dev.hotpot.heap.HeapProvider provider : java.util.ServiceLoader.load(dev.hotpot.heap.HeapProvider.class,
                Hotpot.class.getClassLoader())) {
            if (provider.accepts(settings)) {
                Heap heap = provider.open(config, settings);
                if (endpoint != null) {
                    provider.serveOn(endpoint);
                }
                return heap;
            }
        }
        throw new ConfigurationException("hotpot.peers is set, but the cluster module is not on the class path;"
                + " run with the agent jar (-javaagent:hotpot.jar), which carries it");
    }

    private static long addressOf(Object object, String what) {
        return ((PersistentObject) requirePersistent(object, what)).hotpot$address;
    }

    private static Object requirePersistent(Object object, String what) {
        if (!(object instanceof PersistentObject)) {
            throw new IllegalArgumentException(what + ": " + (object == null ? "null" : "a " + object.getClass().getName())
                    + " is not a persistent object; use a @Persistent class (run with -javaagent:hotpot.jar)"
                    + " or a dev.hotpot.collections persistent collection");
        }
        return object;
    }
}
