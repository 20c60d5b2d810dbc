package dev.hotpot.it.model;

import dev.hotpot.Persistent;
import dev.hotpot.collections.PersistentArray;
import dev.hotpot.collections.PersistentByteArray;
import dev.hotpot.collections.PersistentDoubleArray;
import dev.hotpot.collections.PersistentList;
import dev.hotpot.collections.PersistentLongArray;
import dev.hotpot.collections.PersistentMap;

/** Persistent collections as field types of an annotated class. */
@Persistent
public class Catalog {
    public PersistentMap<String, Everything> byName = new PersistentMap<>();
    public PersistentList<Object> mixed = new PersistentList<>();
    public PersistentArray<Shape> shapes = new PersistentArray<>(3);
    public PersistentLongArray longs = PersistentLongArray.of(1, Long.MIN_VALUE, Long.MAX_VALUE);
    public PersistentDoubleArray doubles = PersistentDoubleArray.of(0.5, Double.NaN);
    public PersistentByteArray bytes = PersistentByteArray.of((byte) -1, (byte) 0, (byte) 127);
}
