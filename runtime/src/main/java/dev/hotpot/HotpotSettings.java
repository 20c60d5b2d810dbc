package dev.hotpot;

import dev.hotpot.heap.HeapConfig;
import dev.hotpot.storage.Storage;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;

/**
 * Where the default heap comes from: system properties {@code hotpot.dir}, {@code hotpot.heap},
 * {@code hotpot.size}, {@code hotpot.durability}, {@code hotpot.maxAttempts} and
 * {@code hotpot.storage}, which the agent also sets from its arguments
 * ({@code -javaagent:hotpot.jar=dir=data,heap=bank}). {@code storage} names a class that
 * implements {@link Storage} with a public no-argument constructor (a test's simulated disk); the
 * file system itself by default.
 *
 * <p>Threading: stateless.
 */
public final class HotpotSettings {
    public static final String PREFIX = "hotpot.";
    public static final String DIR = "dir";
    public static final String HEAP = "heap";
    public static final String SIZE = "size";
    public static final String DURABILITY = "durability";
    public static final String MAX_ATTEMPTS = "maxAttempts";
    public static final String STORAGE = "storage";
    /** Log bytes after which a background checkpoint starts (default 32m). */
    public static final String CHECKPOINT_LOG = "checkpointLog";
    /** This node's id in a cluster (letters, digits, {@code -}); with {@link #PEERS}. */
    public static final String NODE = "node";
    /** The founding nodes of a cluster, {@code id@host:port} separated by {@code ;}; unset on a single node. */
    public static final String PEERS = "peers";
    /** host:port of a cluster node that is not among the peers. */
    public static final String ADDRESS = "address";
    /** Copies of a new cluster heap (N); default min(3, peers). */
    public static final String REPLICAS = "replicas";
    /** A file holding the cluster secret. */
    public static final String SECRET_FILE = "secretFile";
    /** A folder with the coordinator's TLS certificates: key.pem, cert.pem and ca.pem. */
    public static final String TLS_DIR = "tlsDir";
    /** How long a cluster commit may take before its outcome is reported unknown (default 10s). */
    public static final String COMMIT_TIMEOUT = "commitTimeout";
    /** How long a cluster node may be silent before the coordinator declares it failed (default 1500ms). */
    public static final String LEASE = "lease";
    /** How long a cluster primary waits for a backup's acknowledgement before it drops the backup (default 1s). */
    public static final String BACKUP_TIMEOUT = "backupTimeout";
    /** How long a starting cluster node waits for a majority of peers and a primary (default 60s). */
    public static final String START_TIMEOUT = "startTimeout";
    /** host:port (or a port, on loopback) where this process serves its metrics over HTTP. */
    public static final String HTTP = "http";
    /** A class that observes the steps of the replication protocol (tests halt the JVM at one). */
    public static final String PROTOCOL_STEPS = "protocolSteps";
    public static final java.util.List<String> NAMES = java.util.List.of(DIR, HEAP, SIZE, DURABILITY, MAX_ATTEMPTS, STORAGE,
            CHECKPOINT_LOG, NODE, PEERS, ADDRESS, REPLICAS, SECRET_FILE, TLS_DIR, COMMIT_TIMEOUT, LEASE,
            BACKUP_TIMEOUT, START_TIMEOUT, HTTP, PROTOCOL_STEPS);

    public static final String DEFAULT_DIR = "hotpot-data";
    public static final String DEFAULT_HEAP = "default";

    private HotpotSettings() {
    }

    /** The configuration of the default heap from {@code properties} (normally the system properties). */
    public static HeapConfig heapConfig(Properties properties) {
        Path dir = Path.of(properties.getProperty(PREFIX + DIR, DEFAULT_DIR));
        HeapConfig.Builder builder = HeapConfig.builder(dir, properties.getProperty(PREFIX + HEAP, DEFAULT_HEAP));
        String size = properties.getProperty(PREFIX + SIZE);
        if (size != null) {
            builder.size(parseSize(size));
        }
        String durability = properties.getProperty(PREFIX + DURABILITY);
        if (durability != null) {
            builder.durability(Durability.parse(durability));
        }
        String attempts = properties.getProperty(PREFIX + MAX_ATTEMPTS);
        if (attempts != null) {
            try {
                builder.maxAttempts(Integer.parseInt(attempts.trim()));
            } catch (NumberFormatException e) {
                throw new ConfigurationException("hotpot.maxAttempts=" + attempts + " is not a number");
            }
        }
        String checkpointLog = properties.getProperty(PREFIX + CHECKPOINT_LOG);
        if (checkpointLog != null) {
            builder.checkpointLogBytes(parseSize(checkpointLog));
        }
        String storage = properties.getProperty(PREFIX + STORAGE);
        if (storage != null) {
            builder.storage(newStorage(storage.trim()));
        }
        return builder.build();
    }

    private static Storage newStorage(String className) {
        return newInstance(STORAGE, className, Storage.class);
    }

    /**
     * A new instance of the class that setting {@code name} names, which must implement
     * {@code type} and have a public no-argument constructor.
     */
    public static <T> T newInstance(String name, String className, Class<T> type) {
        try {
            Class<?> loaded = Class.forName(className, true, Thread.currentThread().getContextClassLoader());
            return type.cast(loaded.getConstructor().newInstance());
        } catch (ReflectiveOperationException | ClassCastException | LinkageError e) {
            throw new ConfigurationException("hotpot." + name + "=" + className + " is not usable (" + e
                    + "); name a class on the class path that implements " + type.getName()
                    + " and has a public no-argument constructor", e);
        }
    }

    /** Parses a byte count with an optional k, m or g suffix (powers of 1024): {@code 256m}. */
    public static long parseSize(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        long unit = 1;
        if (!t.isEmpty() && "kmg".indexOf(t.charAt(t.length() - 1)) >= 0) {
            unit = 1L << (10 * ("kmg".indexOf(t.charAt(t.length() - 1)) + 1));
            t = t.substring(0, t.length() - 1);
        }
        try {
            return Math.multiplyExact(Long.parseLong(t), unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new ConfigurationException("hotpot.size=" + text + " is not a size; use bytes or a number with k, m or g, like 256m");
        }
    }
}
