package dev.hotpot.tx;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Raw loads and stores of 1, 2, 4 or 8 bytes, in native byte order, as the bits of a long. */
final class Bits {
    /** An 8-byte word at any alignment: the unit of diffs and of applied copies. */
    static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final boolean NATIVE_LITTLE = java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN;

    private Bits() {
    }

    static long load(MemorySegment memory, long address, int size) {
        return switch (size) {
            case 1 -> memory.get(ValueLayout.JAVA_BYTE, address);
            case 2 -> memory.get(ValueLayout.JAVA_SHORT_UNALIGNED, address);
            case 4 -> memory.get(ValueLayout.JAVA_INT_UNALIGNED, address);
            case 8 -> memory.get(ValueLayout.JAVA_LONG_UNALIGNED, address);
            default -> throw new IllegalArgumentException("size=" + size);
        };
    }

    static void store(MemorySegment memory, long address, int size, long bits) {
        switch (size) {
            case 1 -> memory.set(ValueLayout.JAVA_BYTE, address, (byte) bits);
            case 2 -> memory.set(ValueLayout.JAVA_SHORT_UNALIGNED, address, (short) bits);
            case 4 -> memory.set(ValueLayout.JAVA_INT_UNALIGNED, address, (int) bits);
            case 8 -> memory.set(ValueLayout.JAVA_LONG_UNALIGNED, address, bits);
            default -> throw new IllegalArgumentException("size=" + size);
        }
    }

    /** Byte {@code i} (in memory order) of a {@code size}-byte value stored in native order. */
    static long byteOf(long bits, int size, int i) {
        int shift = NATIVE_LITTLE ? 8 * i : 8 * (size - 1 - i);
        return (bits >>> shift) & 0xFF;
    }

    /** Assembles a {@code size}-byte native-order value from its bytes in memory order. */
    static long fromBytes(int size, java.util.function.IntToLongFunction byteAt) {
        long bits = 0;
        for (int i = 0; i < size; i++) {
            int shift = NATIVE_LITTLE ? 8 * i : 8 * (size - 1 - i);
            bits |= (byteAt.applyAsLong(i) & 0xFF) << shift;
        }
        return signExtend(bits, size);
    }

    private static long signExtend(long bits, int size) {
        int unused = 64 - 8 * size;
        return (bits << unused) >> unused;
    }
}
