package dev.hotpot.coordinator;

import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.*;

/** The coordinator's bytes: state, messages and snapshot files round-trip, and damage is refused. */
class FormatsTest {
    private static final String CLUSTER_ID = "00000000-0000-0000-0000-000000000001";

    @TempDir
    Path dir;

    static ClusterState sampleState() {
        TreeMap<String, Member> members = new TreeMap<>();
        members.put("n1", new Member("n1", "127.0.0.1", 7101, true, 1, true));
        members.put("n2", new Member("n2", "10.0.0.2", 7201, false, 2, false));
        members.put("n3", new Member("n3", "host-3.example", 7301, true, 3, true));
        TreeMap<String, HeapAssignment> heaps = new TreeMap<>();
        heaps.put("bank", new HeapAssignment("bank", 1L << 30, 3, 7, "n1", List.of("n3"), null));
        heaps.put("orphan", new HeapAssignment("orphan", 4096, 1, 2, null, List.of(), "n2"));
        return new ClusterState(CLUSTER_ID, 12, 4, members, heaps);
    }

    private static byte[] bytesOf(ClusterState state) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            StateCodec.write(out, state);
        }
        return bytes.toByteArray();
    }

    @Test
    void stateRoundTripsThroughAReply() throws IOException {
        ClusterState state = sampleState();
        Reply back = MessageCodec.decodeReply(MessageCodec.encodeReply(new Reply.StateReply(state)));
        assertEquals(new Reply.StateReply(state), back);
    }

    @Test
    void theWorkedExampleOfStateCodecIsWhatItWrites() throws IOException {
        String uuid = "01234567-89ab-cdef-0123-456789abcdef";
        ClusterState state = new ClusterState(uuid, 1, 2,
                new TreeMap<>(Map.of("n1", new Member("n1", "127.0.0.1", 7101, true, 1, true))), new TreeMap<>());
        String expected = "01" + "0024" + HexFormat.of().formatHex(uuid.getBytes()) + "0000000000000001" + "00000002"
                + "00000001" + "0002" + HexFormat.of().formatHex("n1".getBytes()) + "0009"
                + HexFormat.of().formatHex("127.0.0.1".getBytes()) + "00001bbd" + "00000001" + "03" + "00000000";
        assertEquals(expected, HexFormat.of().formatHex(bytesOf(state)));
    }

    @Test
    void everyCommandRoundTripsWithAndWithoutAProposal() throws IOException {
        List<Command> commands = List.of(
                new Command.Join("n1", "127.0.0.1", 7101, true),
                new Command.CreateHeap("bank", 1L << 30, 3, "n1"),
                new Command.AddBackup("bank", 4, "n2"),
                new Command.RemoveBackup("bank", 5, "n2"),
                new Command.RenewEpoch("bank", 6, "n1"),
                new Command.StepDown("bank", 7, "n1"),
                new Command.NodeFailed("n1", Map.of("bank", Map.of("n2", 17L, "n3", -1L), "other", Map.of())),
                new Command.NodeReturned("n1"));
        for (Command command : commands) {
            for (String proposal : new String[] {null, CLUSTER_ID}) {
                MessageCodec.Logged back = MessageCodec.decodeCommand(MessageCodec.encodeCommand(command, proposal));
                assertEquals(new MessageCodec.Logged(command, proposal), back);
            }
        }
    }

    @Test
    void everyQueryAndReplyRoundTrips() throws IOException {
        for (Query query : List.of(new Query.GetState(), new Query.AwaitChange(41, 1000),
                new Query.Heartbeat("n2", Map.of("bank", 99L, "other", 0L)),
                new Query.Suspect("n2", Map.of("bank", 99L), "n1"))) {
            assertEquals(query, MessageCodec.decodeQuery(MessageCodec.encodeQuery(query)));
        }
        HeapAssignment heap = sampleState().heaps().get("bank");
        for (Reply reply : List.of(new Reply.HeapReply(heap), new Reply.Ack(12), new Reply.Refused("no such heap"),
                new Reply.StaleEpoch("heap=bank is at epoch=7", heap))) {
            assertEquals(reply, MessageCodec.decodeReply(MessageCodec.encodeReply(reply)));
        }
    }

    @Test
    void messagesOfAnotherFormatKindOrLengthAreRefused() {
        byte[] good = MessageCodec.encodeQuery(new Query.GetState()).toByteArray();

        byte[] otherFormat = good.clone();
        otherFormat[0] = 2;
        IOException format = assertThrows(IOException.class, () -> MessageCodec.decodeQuery(ByteString.copyFrom(otherFormat)));
        assertTrue(format.getMessage().contains("format=2"), format.getMessage());

        IOException kind = assertThrows(IOException.class, () -> MessageCodec.decodeCommand(ByteString.copyFrom(good)));
        assertTrue(kind.getMessage().contains("unknown kind=16"), kind.getMessage());

        byte[] longer = java.util.Arrays.copyOf(good, good.length + 1);
        assertThrows(IOException.class, () -> MessageCodec.decodeQuery(ByteString.copyFrom(longer)));

        byte[] join = MessageCodec.encodeCommand(new Command.Join("n1", "h", 1, false), null).toByteArray();
        byte[] shorter = java.util.Arrays.copyOf(join, join.length - 2);
        assertThrows(IOException.class, () -> MessageCodec.decodeCommand(ByteString.copyFrom(shorter)));
    }

    @Test
    void aDecodedValueThatBreaksAnInvariantIsRefused() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(MessageCodec.FORMAT);
            out.writeByte(2); // CreateHeap
            out.writeUTF("bank");
            out.writeLong(-5);
            out.writeInt(1);
            out.writeUTF("n1");
            out.writeBoolean(false);
        }
        IOException e = assertThrows(IOException.class,
                () -> MessageCodec.decodeCommand(ByteString.copyFrom(bytes.toByteArray())));
        assertTrue(e.getMessage().contains("malformed") && e.getMessage().contains("sizeBytes=-5"), e.getMessage());
    }

    @Test
    void snapshotRoundTripsAndAnExistingOneIsKept() throws IOException {
        Path file = dir.resolve("snapshot.1_10");
        ClusterState state = sampleState();
        SnapshotFile.write(file, state);
        assertEquals(state, SnapshotFile.read(file));
        assertFalse(Files.exists(dir.resolve("snapshot.1_10.tmp")));
        assertTrue(Files.exists(dir.resolve("snapshot.1_10.md5")), "Ratis finds snapshots by their digest file");

        SnapshotFile.write(file, ClusterState.EMPTY);
        assertEquals(state, SnapshotFile.read(file), "a snapshot of an index is written once");
    }

    @Test
    void damagedSnapshotsAreRefusedWithTheirName() throws IOException {
        Path file = dir.resolve("snapshot.1_10");
        SnapshotFile.write(file, sampleState());
        byte[] bytes = Files.readAllBytes(file);

        byte[] flipped = bytes.clone();
        flipped[20] ^= 1;
        Files.write(file, flipped);
        IOException crc = assertThrows(IOException.class, () -> SnapshotFile.read(file));
        assertTrue(crc.getMessage().contains("CRC32C") && crc.getMessage().contains(file.toString()), crc.getMessage());

        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 3));
        IOException torn = assertThrows(IOException.class, () -> SnapshotFile.read(file));
        assertTrue(torn.getMessage().contains("bodyLength"), torn.getMessage());

        byte[] notOurs = bytes.clone();
        notOurs[0] = 'X';
        Files.write(file, notOurs);
        IOException magic = assertThrows(IOException.class, () -> SnapshotFile.read(file));
        assertTrue(magic.getMessage().contains("HPCS"), magic.getMessage());
    }
}
