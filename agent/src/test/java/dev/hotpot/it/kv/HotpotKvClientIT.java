package dev.hotpot.it.kv;

import dev.hotpot.it.support.AgentHeap;
import dev.hotpot.samples.kv.ycsb.HotpotKvClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import site.ycsb.ByteArrayByteIterator;
import site.ycsb.ByteIterator;
import site.ycsb.Status;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The YCSB binding in this JVM: a failed operation is reported as an error and changes nothing. */
class HotpotKvClientIT {
    private static final String TABLE = "kv-binding-errors";

    @BeforeAll
    static void heap() {
        AgentHeap.ensureOpen();
    }

    @Test
    void anOperationTheHeapCannotHoldIsAnErrorAndLosesNothingCommitted() throws Exception {
        HotpotKvClient client = new HotpotKvClient();
        client.setProperties(new Properties());
        client.init();
        assertEquals(Status.OK, client.insert(TABLE, "k", Map.of("f", value("kept"))));

        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        PrintStream standardError = System.err;
        Status tooLarge;
        System.setErr(new PrintStream(errors, true, StandardCharsets.UTF_8));
        try {
            tooLarge = client.update(TABLE, "k", Map.of("f", new ByteArrayByteIterator(new byte[128 << 20])));
        } finally {
            System.setErr(standardError);
        }
        assertEquals(Status.ERROR, tooLarge);
        String message = errors.toString(StandardCharsets.UTF_8);
        assertTrue(message.contains("hotpot-kv: update of key=k failed"), message);

        Map<String, ByteIterator> read = new HashMap<>();
        assertEquals(Status.OK, client.read(TABLE, "k", null, read));
        assertEquals("kept", read.get("f").toString());
        assertEquals(Status.NOT_FOUND, client.read(TABLE, "absent", null, new HashMap<>()));
        assertEquals(Status.NOT_FOUND, client.update(TABLE, "absent", Map.of("f", value("x"))));
        assertEquals(Status.NOT_FOUND, client.delete(TABLE, "absent"));
        client.cleanup();
    }

    private static ByteIterator value(String text) {
        return new ByteArrayByteIterator(text.getBytes(StandardCharsets.UTF_8));
    }
}
