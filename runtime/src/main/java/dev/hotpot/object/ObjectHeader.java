package dev.hotpot.object;

/**
 * Layout of the header at the start of every persistent object. The block holding an object is
 * tagged as an object block by the allocator, so heap scans find objects without trusting payload
 * bytes.
 *
 * <pre>
 *   0  int  classId   schema registry id of the object's class layout (its exact version)
 *   4  int  identity  a hash fixed at allocation and kept when the object moves, so hash-based
 *                     persistent collections can key by object identity across JVMs and moves
 *   8  ...  fields, at the offsets of the class layout
 * </pre>
 */
public final class ObjectHeader {
    public static final long CLASS_ID = 0;
    public static final long IDENTITY = 4;
    public static final int SIZE = 8;

    private ObjectHeader() {
    }
}
