package dev.hotpot.transport;

import dev.hotpot.testing.RandomValues;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static dev.hotpot.transport.FrameDescriptor.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The decoder gives back exactly the frames that were encoded, and refuses anything else with a
 * {@link FrameException} that names the bad field: random bytes, every truncation and every
 * single-bit flip of valid frames, bogus lengths (without allocating by them). A hang fails the
 * test through the timeout.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FrameDecoderTest {
    /** Payload sizes around the decoder's chunk, which a payload grows by as it arrives. */
    private static final int[] PAYLOAD_LENGTHS = {0, 1, 7, 100, FrameDecoder.PAYLOAD_CHUNK - 1,
            FrameDecoder.PAYLOAD_CHUNK, FrameDecoder.PAYLOAD_CHUNK + 1, 3 * FrameDecoder.PAYLOAD_CHUNK + 5};

    @Test
    void framesComeBackAsTheyWereEncodedAndInOrder() {
        RandomValues.runSeeded(random -> {
            List<Frame> frames = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                frames.add(Frames.random(random, i % 50 == 0 ? 300_000 : 200));
            }
            assertEquals(frames, Frames.decodeAll(Frames.encode(frames)));
        });
    }

    @Test
    void anEmptyStreamIsACleanEnd() {
        assertEquals(List.of(), Frames.decodeAll(new byte[0]));
    }

    @Test
    void eachBadHeaderFieldIsNamedWithItsValue() {
        byte[] valid = Frames.encode(Frame.oneWay(5, 2, new byte[]{1, 2, 3}));
        assertRefused(changed(valid, b -> b.putInt(MAGIC_OFFSET, 0x12345678)), "magic=0x12345678");
        assertRefused(changed(valid, b -> b.putShort(VERSION_OFFSET, (short) 2)), "formatVersion=2");
        assertRefused(changed(valid, b -> b.putShort(KIND_OFFSET, (short) 0)), "kind=0");
        assertRefused(changed(valid, b -> b.putShort(KIND_OFFSET, (short) 4)), "kind=4");
        assertRefused(changed(valid, b -> b.putLong(CORRELATION_OFFSET, 5)), "correlation=5");
        assertRefused(changed(valid, b -> b.putInt(PAYLOAD_LENGTH_OFFSET, -1)), "payloadLength=-1");
        assertRefused(changed(valid, b -> b.putInt(PAYLOAD_LENGTH_OFFSET, MAX_PAYLOAD_LENGTH + 1)),
                "payloadLength=" + (MAX_PAYLOAD_LENGTH + 1));
        assertRefused(changed(valid, b -> b.putInt(PAYLOAD_LENGTH_OFFSET, Integer.MIN_VALUE)),
                "payloadLength=" + Integer.MIN_VALUE);
        byte[] damagedPayload = valid.clone();
        damagedPayload[HEADER_LENGTH + 1] ^= 0x10;
        assertRefused(damagedPayload, "CRC mismatch");
        assertRefused(Arrays.copyOf(valid, 10), "after 10 of 36 header bytes");
        assertRefused(Arrays.copyOf(valid, HEADER_LENGTH + 2), "after 2 of 3 payload bytes");
    }

    @Test
    void everyTruncationOfSmallFramesIsRefused() {
        RandomValues.runSeeded(random -> {
            for (int length : new int[]{0, 1, 7, 100}) {
                byte[] valid = Frames.encode(withPayloadLength(Frames.random(random, 0), length, random));
                for (int cut = 1; cut < valid.length; cut++) {
                    assertRefused(Arrays.copyOf(valid, cut), "truncated frame");
                }
            }
        });
    }

    @Test
    void truncationsOfLargeFramesAroundEachChunkAreRefused() {
        RandomValues.runSeeded(random -> {
            for (int length : PAYLOAD_LENGTHS) {
                byte[] valid = Frames.encode(withPayloadLength(Frames.random(random, 0), length, random));
                for (int end = HEADER_LENGTH; end < valid.length; end += FrameDecoder.PAYLOAD_CHUNK) {
                    for (int cut = Math.max(1, end - 1); cut <= Math.min(valid.length - 1, end + 1); cut++) {
                        assertRefused(Arrays.copyOf(valid, cut), "truncated frame");
                    }
                }
                for (int i = 0; i < 50; i++) {
                    assertRefused(Arrays.copyOf(valid, 1 + random.nextInt(valid.length - 1)), "truncated frame");
                }
            }
        });
    }

    @Test
    void everySingleBitFlipOfSmallFramesIsRefused() {
        RandomValues.runSeeded(random -> {
            for (int length : new int[]{0, 1, 7, 100}) {
                Frame frame = withPayloadLength(Frames.random(random, 0), length, random);
                byte[] valid = Frames.encode(List.of(frame, Frames.random(random, 50)));
                for (int bit = 0; bit < 8 * Frames.encode(frame).length; bit++) {
                    byte[] flipped = flip(valid, bit);
                    assertThrows(FrameException.class, () -> Frames.decodeAll(flipped), "bit=" + bit);
                }
            }
        });
    }

    @Test
    void sampledBitFlipsOfLargeFramesAreRefused() {
        RandomValues.runSeeded(random -> {
            for (int length : PAYLOAD_LENGTHS) {
                byte[] valid = Frames.encode(withPayloadLength(Frames.random(random, 0), length, random));
                for (int i = 0; i < 200; i++) {
                    int bit = i < 8 * HEADER_LENGTH ? i : random.nextInt(8 * valid.length);
                    assertThrows(FrameException.class, () -> Frames.decodeAll(flip(valid, bit)), "bit=" + bit);
                }
            }
        });
    }

    @Test
    void randomBytesAreRefused() {
        RandomValues.runSeeded(random -> {
            for (int i = 0; i < 20_000; i++) {
                byte[] bytes = new byte[1 + random.nextInt(120)];
                random.nextBytes(bytes);
                assertRefusedOrExact(bytes);
            }
        });
    }

    @Test
    void randomHeadersBehindAValidMagicAndVersionAreRefused() {
        RandomValues.runSeeded(random -> {
            for (int i = 0; i < 20_000; i++) {
                byte[] bytes = new byte[HEADER_LENGTH + random.nextInt(120)];
                random.nextBytes(bytes);
                ByteBuffer header = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
                header.putInt(MAGIC_OFFSET, MAGIC).putShort(VERSION_OFFSET, FORMAT_VERSION);
                if (random.nextBoolean()) {
                    // Past the kind, correlation and length checks, down to the CRC.
                    short kind = (short) (1 + random.nextInt(3));
                    header.putShort(KIND_OFFSET, kind);
                    header.putInt(PAYLOAD_LENGTH_OFFSET, random.nextInt(bytes.length - HEADER_LENGTH + 1));
                    if (kind == KIND_ONE_WAY) {
                        header.putLong(CORRELATION_OFFSET, 0);
                    }
                }
                assertRefusedOrExact(bytes);
            }
        });
    }

    @Test
    void aBogusLengthDoesNotAllocateWhatItClaims() {
        byte[] valid = Frames.encode(Frame.oneWay(1, 1, new byte[1000]));
        byte[] bogus = changed(valid, b -> b.putInt(PAYLOAD_LENGTH_OFFSET, MAX_PAYLOAD_LENGTH));
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        // Once unmeasured, so that class loading and linking of the failure path do not count.
        assertThrows(FrameException.class, () -> Frames.decodeAll(bogus));
        long before = threads.getCurrentThreadAllocatedBytes();
        assertRefused(bogus, "after 1000 of " + MAX_PAYLOAD_LENGTH + " payload bytes");
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 4 * FrameDecoder.PAYLOAD_CHUNK, "allocated=" + allocated);
    }

    /** Decoding fails with a FrameException, or succeeds only on input that is exactly a sequence of valid frames. */
    private static void assertRefusedOrExact(byte[] bytes) {
        List<Frame> frames;
        try {
            frames = Frames.decodeAll(bytes);
        } catch (FrameException refused) {
            return;
        }
        assertArrayEquals(bytes, Frames.encode(frames), "decoded frames that are not the input: " + frames);
    }

    private static void assertRefused(byte[] bytes, String expectedInMessage) {
        FrameException e = assertThrows(FrameException.class, () -> Frames.decodeAll(bytes));
        assertTrue(e.getMessage().contains(expectedInMessage), e.getMessage());
    }

    private static Frame withPayloadLength(Frame frame, int length, Random random) {
        byte[] payload = new byte[length];
        random.nextBytes(payload);
        return new Frame(frame.kind(), frame.type(), frame.epoch(), frame.correlation(), payload);
    }

    private static byte[] flip(byte[] bytes, int bit) {
        byte[] flipped = bytes.clone();
        flipped[bit / 8] ^= (byte) (1 << (bit % 8));
        return flipped;
    }

    /** A copy of {@code bytes} with {@code change} applied to a little-endian view of it. */
    private static byte[] changed(byte[] bytes, Consumer<ByteBuffer> change) {
        byte[] changed = bytes.clone();
        change.accept(ByteBuffer.wrap(changed).order(ByteOrder.LITTLE_ENDIAN));
        return changed;
    }
}
