package dev.hotpot.cluster;

import java.lang.foreign.MemorySegment;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The payloads of the replication protocol, one record type per message, each with its frame
 * type, and their big-endian encoding. Every frame also carries the sender's epoch of the heap
 * (in the frame header, {@link dev.hotpot.transport.Frame#epoch()}); receivers refuse stale ones.
 *
 * <pre>
 *  SUBSCRIBE  node -> primary, request   heap, node, lastSequence, backup
 *  SUBSCRIBED primary -> node, reply     status (STREAM, NEED_IMAGE, NOT_PRIMARY), sequence, pages, position
 *  RECORDS    primary -> node, one-way   prevSequence, commitPoint, n x {lsnEnd, txId, sequence, body}
 *  ACK        backup -> primary, one-way durable (primary log position), lastSequence
 *  COMMIT     node -> primary, request   txId, readVersion, losing (1 byte: the transaction keeps
 *                                        conflicting), pages[], body
 *  COMMITTED  primary -> node, reply     status (OK, CONFLICT, NOT_PRIMARY, FAILED, UNAVAILABLE), sequence,
 *                                        message
 *  IMAGE      primary -> node, one-way   firstPage, bytes (whole pages)
 *  RECENT_IDS primary -> node, one-way   n x {txId, sequence}: after the last IMAGE frame, the
 *                                        primary's recent transaction ids, oldest first
 *  SYNC       node -> primary, request   (empty); the reply carries the sequence of the last
 *                                        record appended before it, once that is committed
 *  FETCH      new primary -> member, request  heap, afterSequence; the reply is a RECORDS payload of
 *                                        the member's records after it (previous sequence -1: none)
 *  STATUS     tool -> any node, request  (empty); the reply is the node's {@link NodeStatus} report, UTF-8
 * </pre>
 *
 * <p>Threading: stateless.
 */
final class Messages {
    static final int SUBSCRIBE = 1;
    static final int RECORDS = 2;
    static final int ACK = 3;
    static final int COMMIT = 4;
    static final int IMAGE = 5;
    static final int SYNC = 6;
    static final int FETCH = 7;
    static final int STATUS = 8;
    static final int RECENT_IDS = 9;

    /** Bounds on decoded counts: a frame is at most this big anyway. */
    private static final int MAX_COUNT = 1 << 24;

    private Messages() {
    }

    record Subscribe(String heap, String node, long lastSequence, boolean backup) {
        byte[] encode() {
            byte[] heapBytes = heap.getBytes(StandardCharsets.UTF_8);
            byte[] nodeBytes = node.getBytes(StandardCharsets.UTF_8);
            return ByteBuffer.allocate(4 + heapBytes.length + 4 + nodeBytes.length + 9)
                    .putInt(heapBytes.length).put(heapBytes).putInt(nodeBytes.length).put(nodeBytes)
                    .putLong(lastSequence).put((byte) (backup ? 1 : 0)).array();
        }

        static Subscribe decode(byte[] payload) {
            ByteBuffer in = ByteBuffer.wrap(payload);
            return guard(() -> new Subscribe(string(in), string(in), in.getLong(), in.get() != 0), "SUBSCRIBE");
        }
    }

    record Fetch(String heap, long afterSequence) {
        byte[] encode() {
            byte[] heapBytes = heap.getBytes(StandardCharsets.UTF_8);
            return ByteBuffer.allocate(12 + heapBytes.length).putInt(heapBytes.length).put(heapBytes).putLong(afterSequence)
                    .array();
        }

        static Fetch decode(byte[] payload) {
            ByteBuffer in = ByteBuffer.wrap(payload);
            return guard(() -> new Fetch(string(in), in.getLong()), "FETCH");
        }
    }

    enum SubscribeStatus { STREAM, NEED_IMAGE, NOT_PRIMARY }

    /**
     * @param sequence with {@code STREAM}: the node's last sequence, from which records follow;
     *                 with {@code NEED_IMAGE}: the sequence the image that follows is as of
     * @param pages    with {@code NEED_IMAGE}: how many pages follow (page 1 on)
     * @param position the primary's log position the stream starts from: after the node's last
     *                 record, or where the image was taken
     */
    record Subscribed(SubscribeStatus status, long sequence, long pages, long position) {
        byte[] encode() {
            return ByteBuffer.allocate(25).put((byte) status.ordinal()).putLong(sequence).putLong(pages).putLong(position)
                    .array();
        }

        static Subscribed decode(byte[] payload) {
            ByteBuffer in = ByteBuffer.wrap(payload);
            return guard(() -> new Subscribed(SubscribeStatus.values()[in.get()], in.getLong(), in.getLong(), in.getLong()),
                    "SUBSCRIBED");
        }
    }

    /** One record of the primary's log: its end position there, its id, sequence and body. */
    record Entry(long lsnEnd, long txId, long sequence, MemorySegment body) {
    }

    /**
     * A run of records in log order. {@code prevSequence} is the sequence of the record before the
     * first (a receiver whose last record is not that one has missed some); {@code commitPoint}
     * the primary's log position up to which records are committed (applied everywhere).
     */
    record Records(long prevSequence, long commitPoint, List<Entry> entries) {
        static byte[] encode(long prevSequence, long commitPoint, List<Entry> entries) {
            int size = 20;
            for (Entry e : entries) {
                size += 28 + (int) e.body().byteSize();
            }
            ByteBuffer out = ByteBuffer.allocate(size).putLong(prevSequence).putLong(commitPoint).putInt(entries.size());
            for (Entry e : entries) {
                out.putLong(e.lsnEnd()).putLong(e.txId()).putLong(e.sequence()).putInt((int) e.body().byteSize());
                out.put(e.body().asByteBuffer());
            }
            return out.array();
        }

        static Records decode(byte[] payload) {
            ByteBuffer in = ByteBuffer.wrap(payload);
            MemorySegment all = MemorySegment.ofArray(payload);
            return guard(() -> {
                long prev = in.getLong();
                long commitPoint = in.getLong();
                int count = count(in.getInt());
                List<Entry> entries = new ArrayList<>(Math.min(count, 1024));
                for (int i = 0; i < count; i++) {
                    long lsnEnd = in.getLong();
                    long txId = in.getLong();
                    long sequence = in.getLong();
                    int length = count(in.getInt());
                    if (length > in.remaining()) {
                        throw new BufferUnderflowException();
                    }
                    entries.add(new Entry(lsnEnd, txId, sequence, all.asSlice(in.position(), length)));
                    in.position(in.position() + length);
                }
                return new Records(prev, commitPoint, entries);
            }, "RECORDS");
        }
    }

    /** @param durable the primary's log position up to which the backup has every record durable */
    record Ack(long durable, long lastSequence) {
        byte[] encode() {
            return ByteBuffer.allocate(16).putLong(durable).putLong(lastSequence).array();
        }

        static Ack decode(byte[] payload) {
            ByteBuffer in = ByteBuffer.wrap(payload);
            return guard(() -> new Ack(in.getLong(), in.getLong()), "ACK");
        }
    }

    record Commit(long txId, long readVersion, boolean losing, int[] readPages, int readCount, MemorySegment body) {
        byte[] encode() {
            ByteBuffer out = ByteBuffer.allocate(25 + 4 * readCount + (int) body.byteSize())
                    .putLong(txId).putLong(readVersion).put((byte) (losing ? 1 : 0)).putInt(readCount);
            for (int i = 0; i < readCount; i++) {
                out.putInt(readPages[i]);
            }
            out.putInt((int) body.byteSize()).put(body.asByteBuffer());
            return out.array();
        }

        static Commit decode(byte[] payload) {
            ByteBuffer in = ByteBuffer.wrap(payload);
            return guard(() -> {
                long txId = in.getLong();
                long readVersion = in.getLong();
                byte losing = in.get();
                if (losing != 0 && losing != 1) {
                    throw new IllegalArgumentException("losing flag " + losing);
                }
                int count = count(in.getInt());
                if (count > in.remaining() / 4) {
                    throw new BufferUnderflowException();
                }
                int[] pages = new int[count];
                for (int i = 0; i < count; i++) {
                    pages[i] = in.getInt();
                }
                int length = count(in.getInt());
                if (length != in.remaining()) {
                    throw new BufferUnderflowException();
                }
                return new Commit(txId, readVersion, losing == 1, pages, count,
                        MemorySegment.ofArray(payload).asSlice(in.position(), length));
            }, "COMMIT");
        }
    }

    enum CommitStatus { OK, CONFLICT, NOT_PRIMARY, FAILED, UNAVAILABLE }

    record Committed(CommitStatus status, long sequence, String message) {
        byte[] encode() {
            byte[] text = message.getBytes(StandardCharsets.UTF_8);
            return ByteBuffer.allocate(13 + text.length).put((byte) status.ordinal()).putLong(sequence)
                    .putInt(text.length).put(text).array();
        }

        static Committed decode(byte[] payload) {
            ByteBuffer in = ByteBuffer.wrap(payload);
            return guard(() -> new Committed(CommitStatus.values()[in.get()], in.getLong(), string(in)), "COMMITTED");
        }
    }

    static byte[] encodeSequence(long sequence) {
        return ByteBuffer.allocate(8).putLong(sequence).array();
    }

    static long decodeSequence(byte[] payload) {
        ByteBuffer in = ByteBuffer.wrap(payload);
        return guard(in::getLong, "SYNC");
    }

    /** Whole pages of an image from {@code firstPage} on. */
    record Image(long firstPage, MemorySegment pages) {
        static byte[] encode(long firstPage, MemorySegment pages) {
            return ByteBuffer.allocate(8 + (int) pages.byteSize()).putLong(firstPage).put(pages.asByteBuffer()).array();
        }

        static Image decode(byte[] payload) {
            ByteBuffer in = ByteBuffer.wrap(payload);
            return guard(() -> new Image(in.getLong(), MemorySegment.ofArray(payload).asSlice(8)), "IMAGE");
        }
    }

    /** Pairs (txId, sequence) of the transactions a primary logged lately, oldest first. */
    record RecentIds(long[] pairs) {
        static byte[] encode(long[] pairs) {
            ByteBuffer out = ByteBuffer.allocate(4 + 8 * pairs.length).putInt(pairs.length / 2);
            out.asLongBuffer().put(pairs);
            return out.array();
        }

        static RecentIds decode(byte[] payload) {
            ByteBuffer in = ByteBuffer.wrap(payload);
            return guard(() -> {
                int count = count(in.getInt());
                if (in.remaining() != 16L * count) {
                    throw new IllegalArgumentException(count + " pairs in " + in.remaining() + " bytes");
                }
                long[] pairs = new long[2 * count];
                in.asLongBuffer().get(pairs);
                return new RecentIds(pairs);
            }, "RECENT_IDS");
        }
    }

    private static String string(ByteBuffer in) {
        int length = count(in.getInt());
        if (length > in.remaining()) {
            throw new BufferUnderflowException();
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static int count(int value) {
        if (value < 0 || value > MAX_COUNT) {
            throw new IllegalArgumentException("count " + value + " out of range");
        }
        return value;
    }

    private interface Decoding<T> {
        T run();
    }

    private static <T> T guard(Decoding<T> decoding, String what) {
        try {
            return decoding.run();
        } catch (BufferUnderflowException | IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new ProtocolException("malformed " + what + " message (" + e + "); the peer runs an incompatible"
                    + " or faulty version, nothing was applied");
        }
    }
}
