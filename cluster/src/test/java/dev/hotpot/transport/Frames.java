package dev.hotpot.transport;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;

/**
 * Frames as bytes, for decoder tests: encoded with the descriptor the connections use, decoded
 * with {@link FrameDecoder}, and random frames of every kind.
 *
 * <p>Threading: stateless.
 */
final class Frames {
    private Frames() {
    }

    static byte[] encode(List<Frame> frames) {
        int total = frames.stream().mapToInt(frame -> FrameDescriptor.HEADER_LENGTH + frame.payload().length).sum();
        ByteBuffer bytes = ByteBuffer.allocate(total);
        ByteBuffer header = FrameDescriptor.newHeader();
        CRC32C crc = new CRC32C();
        for (Frame frame : frames) {
            FrameDescriptor.putHeader(header, frame, crc);
            bytes.put(header.array()).put(frame.payload());
        }
        return bytes.array();
    }

    static byte[] encode(Frame frame) {
        return encode(List.of(frame));
    }

    /** Every frame of {@code bytes} up to the clean end; throws what the decoder throws. */
    static List<Frame> decodeAll(byte[] bytes) {
        FrameDecoder decoder = new FrameDecoder(new ByteArrayInputStream(bytes));
        List<Frame> frames = new ArrayList<>();
        try {
            for (Frame frame = decoder.read(); frame != null; frame = decoder.read()) {
                frames.add(frame);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return frames;
    }

    /** A frame of a random kind and random fields, with a payload of {@code 0..maxPayload} random bytes. */
    static Frame random(Random random, int maxPayload) {
        Frame.Kind kind = Frame.Kind.values()[random.nextInt(Frame.Kind.values().length)];
        byte[] payload = new byte[random.nextInt(maxPayload + 1)];
        random.nextBytes(payload);
        long correlation = kind == Frame.Kind.ONE_WAY ? 0 : random.nextLong();
        return new Frame(kind, random.nextInt(), random.nextLong(), correlation, payload);
    }
}
