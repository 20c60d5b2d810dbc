package dev.hotpot.cluster;

import dev.hotpot.testing.RandomValues;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The replication messages' decoders take any bytes a peer may send: every truncation and
 * random bytes either decode or are refused with a {@link ProtocolException}, never another
 * exception, a huge allocation or a hang; valid messages come back as they were sent.
 */
class MessagesFuzzTest {
    private static final List<Function<byte[], ?>> DECODERS = List.of(Messages.Subscribe::decode,
            Messages.Subscribed::decode, Messages.Records::decode, Messages.Ack::decode, Messages.Commit::decode,
            Messages.Committed::decode, Messages.Image::decode, Messages.Fetch::decode, Messages::decodeSequence,
            Messages.RecentIds::decode);

    @Test
    void validMessagesComeBackAsTheyWereSent() {
        byte[] commit = sampleCommit();
        assertArrayEquals(commit, Messages.Commit.decode(commit).encode());
        byte[] records = sampleRecords();
        Messages.Records decoded = Messages.Records.decode(records);
        assertArrayEquals(records, Messages.Records.encode(decoded.prevSequence(), decoded.commitPoint(), decoded.entries()));
        byte[] subscribe = new Messages.Subscribe("bank", "n2", 77, true).encode();
        assertArrayEquals(subscribe, Messages.Subscribe.decode(subscribe).encode());
        long[] ids = {7, 1L << 40 | 3, -2, 1L << 41 | 9};
        assertArrayEquals(ids, Messages.RecentIds.decode(Messages.RecentIds.encode(ids)).pairs());
    }

    @Test
    void everyTruncationIsRefusedOrDecodes() {
        for (byte[] valid : List.of(sampleCommit(), sampleRecords(), new Messages.Subscribe("bank", "n2", 77, true).encode(),
                new Messages.Committed(Messages.CommitStatus.FAILED, 3, "why").encode(),
                new Messages.Fetch("bank", 9).encode(), Messages.RecentIds.encode(new long[] {7, 1L << 40 | 3}))) {
            for (int cut = 0; cut < valid.length; cut++) {
                decodeAll(Arrays.copyOf(valid, cut));
            }
        }
    }

    @Test
    void randomBytesAreRefusedOrDecode() {
        RandomValues.runSeeded((Random random) -> {
            for (int i = 0; i < 20_000; i++) {
                byte[] bytes = new byte[random.nextInt(64)];
                random.nextBytes(bytes);
                decodeAll(bytes);
            }
        });
    }

    private static void decodeAll(byte[] bytes) {
        for (Function<byte[], ?> decoder : DECODERS) {
            try {
                decoder.apply(bytes);
            } catch (ProtocolException refused) {
                // The expected answer to bytes that are not a message.
            } catch (RuntimeException | OutOfMemoryError other) {
                fail("decoding " + Arrays.toString(bytes) + " threw " + other, other);
            }
        }
    }

    private static byte[] sampleCommit() {
        MemorySegment body = MemorySegment.ofArray(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17});
        return new Messages.Commit(0x1234, 99, true, new int[] {3, 4, 5}, 3, body).encode();
    }

    private static byte[] sampleRecords() {
        MemorySegment body = MemorySegment.ofArray(new byte[] {9, 8, 7, 6, 5, 4, 3, 2});
        return Messages.Records.encode(10, 500, List.of(new Messages.Entry(120, 1, 11, body), new Messages.Entry(240, 2, 12, body)));
    }
}
