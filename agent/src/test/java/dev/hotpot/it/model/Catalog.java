package dev.hotpot.it.model;

import dev.hotpot.Persistent;
import dev.hotpot.PersistentArray;
import dev.hotpot.PersistentByteArray;
import dev.hotpot.PersistentDoubleArray;
import dev.hotpot.PersistentList;
import dev.hotpot.PersistentLongArray;
import dev.hotpot.PersistentMap;

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
