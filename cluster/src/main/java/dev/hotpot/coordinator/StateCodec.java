package dev.hotpot.coordinator;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Binary layout of a {@link ClusterState}, shared by snapshots ({@link SnapshotFile}) and replies
 * ({@link MessageCodec}). Big-endian, as {@link DataOutput} writes.
 *
 * <pre>
 * ClusterState    = clusterId:nstring  version:long  nextMemberIndex:int
 *                   memberCount:int  Member*  heapCount:int  HeapAssignment*
 * Member          = id:string  host:string  port:int  index:int  flags:byte (bit 0 peer, bit 1 live)
 * HeapAssignment  = name:string  sizeBytes:long  replicas:int  epoch:long
 *                   primary:nstring  lastPrimary:nstring  inSyncCount:int  inSync:string*
 * string          = DataOutput.writeUTF (u16 length, modified UTF-8)
 * nstring         = 0:byte (null) | 1:byte string
 * </pre>
 *
 * Example: a state with one live peer member {@code n1@127.0.0.1:7101} of index 1 and no heap is
 * {@code 01 0024 "<36-char uuid>" | 0000000000000001 | 00000002 | 00000001 | 0002 "n1" 0009 "127.0.0.1"
 * 00001bbd 00000001 03 | 00000000}. Members and heaps are written in key order, so equal states have
 * equal bytes.
 *
 * <p>Threading: stateless.
 */
final class StateCodec {
    /** More entries than any real cluster has; a larger count is damage, not a reason to allocate. */
    private static final int MAX_COUNT = 1 << 20;
    private static final int PEER = 1;
    private static final int LIVE = 2;

    private StateCodec() {
    }

    static void write(DataOutput out, ClusterState state) throws IOException {
        writeNullable(out, state.clusterId());
        out.writeLong(state.version());
        out.writeInt(state.nextMemberIndex());
        out.writeInt(state.members().size());
        for (Member member : state.members().values()) {
            out.writeUTF(member.id());
            out.writeUTF(member.host());
            out.writeInt(member.port());
            out.writeInt(member.index());
            out.writeByte((member.peer() ? PEER : 0) | (member.live() ? LIVE : 0));
        }
        out.writeInt(state.heaps().size());
        for (HeapAssignment heap : state.heaps().values()) {
            writeHeap(out, heap);
        }
    }

    static ClusterState read(DataInput in) throws IOException {
        String clusterId = readNullable(in);
        long version = in.readLong();
        int nextMemberIndex = in.readInt();
        TreeMap<String, Member> members = new TreeMap<>();
        for (int i = count(in, "members"); i > 0; i--) {
            String id = in.readUTF();
            String host = in.readUTF();
            int port = in.readInt();
            int index = in.readInt();
            int flags = in.readUnsignedByte();
            members.put(id, new Member(id, host, port, (flags & PEER) != 0, index, (flags & LIVE) != 0));
        }
        TreeMap<String, HeapAssignment> heaps = new TreeMap<>();
        for (int i = count(in, "heaps"); i > 0; i--) {
            HeapAssignment heap = readHeap(in);
            heaps.put(heap.name(), heap);
        }
        return new ClusterState(clusterId, version, nextMemberIndex, members, heaps);
    }

    static void writeHeap(DataOutput out, HeapAssignment heap) throws IOException {
        out.writeUTF(heap.name());
        out.writeLong(heap.sizeBytes());
        out.writeInt(heap.replicas());
        out.writeLong(heap.epoch());
        writeNullable(out, heap.primary());
        writeNullable(out, heap.lastPrimary());
        out.writeInt(heap.inSync().size());
        for (String backup : heap.inSync()) {
            out.writeUTF(backup);
        }
    }

    static HeapAssignment readHeap(DataInput in) throws IOException {
        String name = in.readUTF();
        long sizeBytes = in.readLong();
        int replicas = in.readInt();
        long epoch = in.readLong();
        String primary = readNullable(in);
        String lastPrimary = readNullable(in);
        List<String> inSync = new ArrayList<>();
        for (int i = count(in, "in-sync backups"); i > 0; i--) {
            inSync.add(in.readUTF());
        }
        return new HeapAssignment(name, sizeBytes, replicas, epoch, primary, inSync, lastPrimary);
    }

    static void writeNullable(DataOutput out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeUTF(value);
        }
    }

    static String readNullable(DataInput in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    /** Reads an element count, refusing a negative or absurd one. */
    static int count(DataInput in, String what) throws IOException {
        int count = in.readInt();
        if (count < 0 || count > MAX_COUNT) {
            throw new IOException("count of " + what + "=" + count + " is outside 0.." + MAX_COUNT
                    + ": the bytes are damaged or not a coordinator state");
        }
        return count;
    }
}
