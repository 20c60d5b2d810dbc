package dev.hotpot.benchmarks.ycsb;

import dev.hotpot.samples.kv.ycsb.YcsbValues;
import org.sqlite.SQLiteConfig;
import site.ycsb.ByteArrayByteIterator;
import site.ycsb.ByteIterator;
import site.ycsb.DB;
import site.ycsb.DBException;
import site.ycsb.Status;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.Vector;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * YCSB binding of SQLite (sqlite-jdbc). Written here because YCSB's published {@code jdbc-binding}
 * does not resolve from Maven Central for YCSB 0.17.0 with sqlite-jdbc 3.54, and it would batch
 * and commit differently.
 *
 * <p>One table, {@code (YCSB_KEY TEXT PRIMARY KEY, field0 BLOB, ..., fieldN BLOB)}, with the
 * workload's field names as columns, so an update writes only its fields in SQL. The database is in
 * WAL mode with {@code synchronous=FULL} (the default of {@value #SYNCHRONOUS}): each statement is
 * its own transaction (auto-commit) and its commit fsyncs the WAL before it returns. The harness's
 * unmeasured load phase uses {@code OFF}. When the last connection of the JVM closes, SQLite itself
 * checkpoints the WAL into the database file and deletes it, so the next JVM has no WAL to replay
 * when it opens the database inside the measured run time.
 *
 * <p>SQLite allows one writer at a time: a connection that finds the database locked retries for
 * up to {@value #BUSY_TIMEOUT} milliseconds (default {@value #DEFAULT_BUSY_TIMEOUT_MS}). An operation
 * that still fails returns {@code Status.ERROR}, which YCSB counts; nothing is retried silently.
 *
 * <p>Properties: {@value #FILE} (the database file, required), {@value #SYNCHRONOUS}
 * ({@code FULL}, {@code NORMAL} or {@code OFF}), {@value #BUSY_TIMEOUT}, and the workload's
 * {@code table}, {@code fieldcount} and {@code fieldnameprefix}.
 *
 * <p>Threading: YCSB makes one client per thread, and each client has its own connection and
 * statements; a client is used by its thread only.
 */
public final class SqliteClient extends DB {
    static final String FILE = "sqlite.file";
    static final String SYNCHRONOUS = "sqlite.synchronous";
    static final String BUSY_TIMEOUT = "sqlite.busytimeout";
    static final int DEFAULT_BUSY_TIMEOUT_MS = 60_000;

    private static final String KEY = "YCSB_KEY";
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Object SCHEMA_LOCK = new Object();

    private Connection connection;
    private String table;
    /** Every field column, for checking the fields an operation names. */
    private Set<String> columnSet;
    /** Every field column, sorted: the columns of a statement for all fields. */
    private List<String> columns;
    /** Prepared statements of each kind, keyed by the sorted columns they read or write. */
    private final Map<List<String>, PreparedStatement> reads = new HashMap<>();
    private final Map<List<String>, PreparedStatement> scans = new HashMap<>();
    private final Map<List<String>, PreparedStatement> updates = new HashMap<>();
    private final Map<List<String>, PreparedStatement> inserts = new HashMap<>();
    private PreparedStatement delete;

    @Override
    public void init() throws DBException {
        Properties properties = getProperties();
        String file = properties.getProperty(FILE);
        if (file == null) {
            throw new DBException("sqlite: property " + FILE + " is not set; give it the database file");
        }
        table = checkName(properties.getProperty("table", "usertable"));
        int fieldCount = Integer.parseInt(properties.getProperty("fieldcount", "10"));
        String prefix = properties.getProperty("fieldnameprefix", "field");
        TreeSet<String> sorted = new TreeSet<>();
        for (int i = 0; i < fieldCount; i++) {
            sorted.add(checkName(prefix + i));
        }
        columnSet = new HashSet<>(sorted);
        columns = List.copyOf(sorted);
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.valueOf(properties.getProperty(SYNCHRONOUS, "FULL")));
        config.setBusyTimeout(Integer.parseInt(properties.getProperty(BUSY_TIMEOUT, String.valueOf(DEFAULT_BUSY_TIMEOUT_MS))));
        try {
            Files.createDirectories(Path.of(file).toAbsolutePath().getParent());
            connection = config.createConnection("jdbc:sqlite:" + file);
            connection.setAutoCommit(true);
            StringBuilder create = new StringBuilder("CREATE TABLE IF NOT EXISTS " + table + " (" + KEY + " TEXT PRIMARY KEY");
            for (String column : columns) {
                create.append(", ").append(column).append(" BLOB");
            }
            // Clients of one JVM create the table one at a time; other writers wait on busy_timeout.
            synchronized (SCHEMA_LOCK) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute(create.append(')').toString());
                }
            }
            // The statements of reads and scans of all fields (YCSB's default), ready before the first operation.
            statement(reads, columns, this::readSql);
            statement(scans, columns, this::scanSql);
            delete = connection.prepareStatement("DELETE FROM " + table + " WHERE " + KEY + " = ?");
        } catch (SQLException | IOException | RuntimeException e) {
            throw new DBException("sqlite: cannot open file=" + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void cleanup() throws DBException {
        try {
            for (Map<List<String>, PreparedStatement> kind : List.of(reads, scans, updates, inserts)) {
                for (PreparedStatement statement : kind.values()) {
                    statement.close();
                }
            }
            delete.close();
            connection.close();
        } catch (SQLException e) {
            throw new DBException("sqlite: close failed: " + e.getMessage(), e);
        }
    }

    @Override
    public Status read(String table, String key, Set<String> fields, Map<String, ByteIterator> result) {
        List<String> selected = selected(fields);
        if (selected == null) {
            return Status.BAD_REQUEST;
        }
        return BindingErrors.attempt("sqlite", "read", key, () -> {
            PreparedStatement read = statement(reads, selected, this::readSql);
            read.setString(1, key);
            try (ResultSet row = read.executeQuery()) {
                if (!row.next()) {
                    return Status.NOT_FOUND;
                }
                copyRow(row, selected, result);
                return Status.OK;
            }
        });
    }

    @Override
    public Status scan(String table, String startKey, int count, Set<String> fields,
                       Vector<HashMap<String, ByteIterator>> result) {
        List<String> selected = selected(fields);
        if (selected == null) {
            return Status.BAD_REQUEST;
        }
        return BindingErrors.attempt("sqlite", "scan", startKey, () -> {
            PreparedStatement scan = statement(scans, selected, this::scanSql);
            scan.setString(1, startKey);
            scan.setInt(2, count);
            try (ResultSet rows = scan.executeQuery()) {
                while (rows.next()) {
                    HashMap<String, ByteIterator> values = new HashMap<>();
                    copyRow(rows, selected, values);
                    result.add(values);
                }
            }
            return Status.OK;
        });
    }

    @Override
    public Status update(String table, String key, Map<String, ByteIterator> values) {
        List<String> written = selected(values.keySet());
        if (written == null) {
            return Status.BAD_REQUEST;
        }
        Map<String, byte[]> bytes = YcsbValues.bytesOf(values);
        return BindingErrors.attempt("sqlite", "update", key, () -> {
            PreparedStatement update = statement(updates, written, this::updateSql);
            int i = 1;
            for (String column : written) {
                update.setBytes(i++, bytes.get(column));
            }
            update.setString(i, key);
            return update.executeUpdate() == 0 ? Status.NOT_FOUND : Status.OK;
        });
    }

    @Override
    public Status insert(String table, String key, Map<String, ByteIterator> values) {
        List<String> written = selected(values.keySet());
        if (written == null) {
            return Status.BAD_REQUEST;
        }
        Map<String, byte[]> bytes = YcsbValues.bytesOf(values);
        return BindingErrors.attempt("sqlite", "insert", key, () -> {
            PreparedStatement insert = statement(inserts, written, this::insertSql);
            insert.setString(1, key);
            int i = 2;
            for (String column : written) {
                insert.setBytes(i++, bytes.get(column));
            }
            insert.executeUpdate();
            return Status.OK;
        });
    }

    @Override
    public Status delete(String table, String key) {
        return BindingErrors.attempt("sqlite", "delete", key, () -> {
            delete.setString(1, key);
            return delete.executeUpdate() == 0 ? Status.NOT_FOUND : Status.OK;
        });
    }

    /**
     * The columns for the requested fields, sorted, or null if one is not a column; for all fields
     * (null, or every column) the shared {@link #columns}, so the common case allocates nothing.
     */
    private List<String> selected(Set<String> fields) {
        if (fields == null || columnSet.equals(fields)) {
            return columns;
        }
        List<String> selected = new ArrayList<>(fields);
        selected.sort(null);
        return columnSet.containsAll(selected) ? selected : null;
    }

    /** The cached statement of one kind for {@code columns}, prepared from {@code sql} the first time. */
    private PreparedStatement statement(Map<List<String>, PreparedStatement> kind, List<String> columns,
                                        Function<List<String>, String> sql) throws SQLException {
        PreparedStatement statement = kind.get(columns);
        if (statement == null) {
            statement = connection.prepareStatement(sql.apply(columns));
            kind.put(columns, statement);
        }
        return statement;
    }

    private String readSql(List<String> columns) {
        return "SELECT " + String.join(", ", columns) + " FROM " + table + " WHERE " + KEY + " = ?";
    }

    private String scanSql(List<String> columns) {
        return "SELECT " + String.join(", ", columns) + " FROM " + table + " WHERE " + KEY
                + " >= ? ORDER BY " + KEY + " LIMIT ?";
    }

    private String updateSql(List<String> columns) {
        return "UPDATE " + table + " SET " + String.join(" = ?, ", columns) + " = ? WHERE " + KEY + " = ?";
    }

    private String insertSql(List<String> columns) {
        return "INSERT OR REPLACE INTO " + table + " (" + KEY + ", " + String.join(", ", columns)
                + ") VALUES (?" + ", ?".repeat(columns.size()) + ")";
    }

    private static void copyRow(ResultSet row, List<String> selected, Map<String, ByteIterator> into) throws SQLException {
        for (int i = 0; i < selected.size(); i++) {
            byte[] value = row.getBytes(i + 1);
            if (value != null) {
                into.put(selected.get(i), new ByteArrayByteIterator(value));
            }
        }
    }

    private static String checkName(String name) throws DBException {
        if (!NAME.matcher(name).matches()) {
            throw new DBException("sqlite: table or field name=" + name + " is not a plain SQL identifier");
        }
        return name;
    }
}
