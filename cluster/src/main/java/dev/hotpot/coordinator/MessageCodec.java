package dev.hotpot.coordinator;

import dev.hotpot.ConfigurationException;
import dev.hotpot.coordinator.Command.AddBackup;
import dev.hotpot.coordinator.Command.CreateHeap;
import dev.hotpot.coordinator.Command.Join;
import dev.hotpot.coordinator.Command.NodeFailed;
import dev.hotpot.coordinator.Command.NodeReturned;
import dev.hotpot.coordinator.Command.RemoveBackup;
import dev.hotpot.coordinator.Command.RenewEpoch;
import dev.hotpot.coordinator.Command.StepDown;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

import static dev.hotpot.coordinator.StateCodec.count;
import static dev.hotpot.coordinator.StateCodec.readNullable;
import static dev.hotpot.coordinator.StateCodec.writeNullable;

/**
 * The bytes of the coordinator's Ratis messages: commands (client to leader, and log entries),
 * queries and replies. Strings, nullable strings and states as in {@link StateCodec}.
 *
 * <pre>
 * message      = format:byte (1)  kind:byte  body
 * commands     (followed by clusterIdProposal:nstring; clients send null, the leader fills it in
 *               while the state has no cluster id)
 *   1 Join         id:string host:string port:int peer:boolean
 *   2 CreateHeap   name:string sizeBytes:long replicas:int creatorId:string
 *   3 AddBackup    heap:string expectedEpoch:long nodeId:string
 *   4 RemoveBackup heap:string expectedEpoch:long nodeId:string
 *   5 NodeFailed   nodeId:string heapCount:int (heap:string n:int (member:string position:long)*)*
 *   6 NodeReturned nodeId:string
 *   7 RenewEpoch   heap:string expectedEpoch:long primaryId:string
 *   8 StepDown     heap:string expectedEpoch:long primaryId:string
 * queries
 *  16 GetState
 *  17 AwaitChange  knownVersion:long maxWaitMillis:long
 *  18 Heartbeat    nodeId:string n:int (heap:string position:long)*
 *  19 Suspect      nodeId:string n:int (heap:string position:long)* suspectId:string
 * replies
 *  32 StateReply   ClusterState
 *  33 HeapReply    HeapAssignment
 *  34 Ack          version:long
 *  35 Refused      reason:string
 *  36 StaleEpoch   reason:string current:HeapAssignment
 * </pre>
 *
 * A message of another format or kind, with trailing bytes, or whose fields break a record's
 * invariants is refused with an {@link IOException} that says so.
 *
 * <p>Threading: stateless.
 */
final class MessageCodec {
    static final int FORMAT = 1;

    private static final int JOIN = 1;
    private static final int CREATE_HEAP = 2;
    private static final int ADD_BACKUP = 3;
    private static final int REMOVE_BACKUP = 4;
    private static final int NODE_FAILED = 5;
    private static final int NODE_RETURNED = 6;
    private static final int RENEW_EPOCH = 7;
    private static final int STEP_DOWN = 8;
    private static final int GET_STATE = 16;
    private static final int AWAIT_CHANGE = 17;
    private static final int HEARTBEAT = 18;
    private static final int SUSPECT = 19;
    private static final int STATE_REPLY = 32;
    private static final int HEAP_REPLY = 33;
    private static final int ACK = 34;
    private static final int REFUSED = 35;
    private static final int STALE_EPOCH = 36;

    /** A command as it travels and as it sits in the log. */
    record Logged(Command command, String clusterIdProposal) {
    }

    private MessageCodec() {
    }

    static ByteString encodeCommand(Command command, String clusterIdProposal) {
        return encode(out -> {
            switch (command) {
                case Join join -> {
                    out.writeByte(JOIN);
                    out.writeUTF(join.id());
                    out.writeUTF(join.host());
                    out.writeInt(join.port());
                    out.writeBoolean(join.peer());
                }
                case CreateHeap create -> {
                    out.writeByte(CREATE_HEAP);
                    out.writeUTF(create.name());
                    out.writeLong(create.sizeBytes());
                    out.writeInt(create.replicas());
                    out.writeUTF(create.creatorId());
                }
                case AddBackup add -> {
                    out.writeByte(ADD_BACKUP);
                    out.writeUTF(add.heap());
                    out.writeLong(add.expectedEpoch());
                    out.writeUTF(add.nodeId());
                }
                case RemoveBackup remove -> {
                    out.writeByte(REMOVE_BACKUP);
                    out.writeUTF(remove.heap());
                    out.writeLong(remove.expectedEpoch());
                    out.writeUTF(remove.nodeId());
                }
                case NodeFailed failed -> {
                    out.writeByte(NODE_FAILED);
                    out.writeUTF(failed.nodeId());
                    out.writeInt(failed.positions().size());
                    for (Map.Entry<String, Map<String, Long>> heap : failed.positions().entrySet()) {
                        out.writeUTF(heap.getKey());
                        writePositions(out, heap.getValue());
                    }
                }
                case NodeReturned returned -> {
                    out.writeByte(NODE_RETURNED);
                    out.writeUTF(returned.nodeId());
                }
                case RenewEpoch renew -> {
                    out.writeByte(RENEW_EPOCH);
                    out.writeUTF(renew.heap());
                    out.writeLong(renew.expectedEpoch());
                    out.writeUTF(renew.primaryId());
                }
                case StepDown step -> {
                    out.writeByte(STEP_DOWN);
                    out.writeUTF(step.heap());
                    out.writeLong(step.expectedEpoch());
                    out.writeUTF(step.primaryId());
                }
            }
            writeNullable(out, clusterIdProposal);
        });
    }

    static Logged decodeCommand(ByteString bytes) throws IOException {
        return decode(bytes, "command", (kind, in) -> {
            Command command = switch (kind) {
                case JOIN -> new Join(in.readUTF(), in.readUTF(), in.readInt(), in.readBoolean());
                case CREATE_HEAP -> new CreateHeap(in.readUTF(), in.readLong(), in.readInt(), in.readUTF());
                case ADD_BACKUP -> new AddBackup(in.readUTF(), in.readLong(), in.readUTF());
                case REMOVE_BACKUP -> new RemoveBackup(in.readUTF(), in.readLong(), in.readUTF());
                case RENEW_EPOCH -> new RenewEpoch(in.readUTF(), in.readLong(), in.readUTF());
                case STEP_DOWN -> new StepDown(in.readUTF(), in.readLong(), in.readUTF());
                case NODE_FAILED -> {
                    String nodeId = in.readUTF();
                    TreeMap<String, Map<String, Long>> positions = new TreeMap<>();
                    for (int i = count(in, "heaps"); i > 0; i--) {
                        positions.put(in.readUTF(), readPositions(in));
                    }
                    yield new NodeFailed(nodeId, positions);
                }
                case NODE_RETURNED -> new NodeReturned(in.readUTF());
                default -> throw unknownKind("command", kind);
            };
            return new Logged(command, readNullable(in));
        });
    }

    static ByteString encodeQuery(Query query) {
        return encode(out -> {
            switch (query) {
                case Query.GetState _ -> out.writeByte(GET_STATE);
                case Query.AwaitChange await -> {
                    out.writeByte(AWAIT_CHANGE);
                    out.writeLong(await.knownVersion());
                    out.writeLong(await.maxWaitMillis());
                }
                case Query.Heartbeat heartbeat -> {
                    out.writeByte(HEARTBEAT);
                    out.writeUTF(heartbeat.nodeId());
                    writePositions(out, heartbeat.positions());
                }
                case Query.Suspect suspect -> {
                    out.writeByte(SUSPECT);
                    out.writeUTF(suspect.nodeId());
                    writePositions(out, suspect.positions());
                    out.writeUTF(suspect.suspectId());
                }
            }
        });
    }

    static Query decodeQuery(ByteString bytes) throws IOException {
        return decode(bytes, "query", (kind, in) -> switch (kind) {
            case GET_STATE -> new Query.GetState();
            case AWAIT_CHANGE -> new Query.AwaitChange(in.readLong(), in.readLong());
            case HEARTBEAT -> new Query.Heartbeat(in.readUTF(), readPositions(in));
            case SUSPECT -> new Query.Suspect(in.readUTF(), readPositions(in), in.readUTF());
            default -> throw unknownKind("query", kind);
        });
    }

    static ByteString encodeReply(Reply reply) {
        return encode(out -> {
            switch (reply) {
                case Reply.StateReply state -> {
                    out.writeByte(STATE_REPLY);
                    StateCodec.write(out, state.state());
                }
                case Reply.HeapReply heap -> {
                    out.writeByte(HEAP_REPLY);
                    StateCodec.writeHeap(out, heap.heap());
                }
                case Reply.Ack ack -> {
                    out.writeByte(ACK);
                    out.writeLong(ack.version());
                }
                case Reply.Refused refused -> {
                    out.writeByte(REFUSED);
                    out.writeUTF(refused.reason());
                }
                case Reply.StaleEpoch stale -> {
                    out.writeByte(STALE_EPOCH);
                    out.writeUTF(stale.reason());
                    StateCodec.writeHeap(out, stale.current());
                }
            }
        });
    }

    static Reply decodeReply(ByteString bytes) throws IOException {
        return decode(bytes, "reply", (kind, in) -> switch (kind) {
            case STATE_REPLY -> new Reply.StateReply(StateCodec.read(in));
            case HEAP_REPLY -> new Reply.HeapReply(StateCodec.readHeap(in));
            case ACK -> new Reply.Ack(in.readLong());
            case REFUSED -> new Reply.Refused(in.readUTF());
            case STALE_EPOCH -> new Reply.StaleEpoch(in.readUTF(), StateCodec.readHeap(in));
            default -> throw unknownKind("reply", kind);
        });
    }

    private static void writePositions(DataOutputStream out, Map<String, Long> positions) throws IOException {
        out.writeInt(positions.size());
        for (Map.Entry<String, Long> position : positions.entrySet()) {
            out.writeUTF(position.getKey());
            out.writeLong(position.getValue());
        }
    }

    private static Map<String, Long> readPositions(DataInputStream in) throws IOException {
        TreeMap<String, Long> positions = new TreeMap<>();
        for (int i = count(in, "positions"); i > 0; i--) {
            positions.put(in.readUTF(), in.readLong());
        }
        return positions;
    }

    private interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    private interface Reader<T> {
        T read(int kind, DataInputStream in) throws IOException;
    }

    private static ByteString encode(Body body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            body.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory failed", e); // a ByteArrayOutputStream does not fail
        }
        return UnsafeByteOperations.unsafeWrap(bytes.toByteArray());
    }

    private static <T> T decode(ByteString bytes, String what, Reader<T> reader) throws IOException {
        try (DataInputStream in = new DataInputStream(bytes.newInput())) {
            int format = in.readUnsignedByte();
            if (format != FORMAT) {
                throw new IOException("coordinator " + what + " has format=" + format + ", this node reads format="
                        + FORMAT + ": run the same Hotpot version on every node of the cluster");
            }
            T value = reader.read(in.readUnsignedByte(), in);
            if (in.read() != -1) {
                throw new IOException("coordinator " + what + " has bytes after its end: it is damaged");
            }
            return value;
        } catch (IllegalArgumentException | ConfigurationException e) {
            throw new IOException("coordinator " + what + " is malformed: " + e.getMessage(), e);
        }
    }

    private static IOException unknownKind(String what, int kind) {
        return new IOException("coordinator " + what + " has unknown kind=" + kind
                + ": run the same Hotpot version on every node of the cluster");
    }
}
