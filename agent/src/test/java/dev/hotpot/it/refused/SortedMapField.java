package dev.hotpot.it.refused;

import dev.hotpot.Persistent;

import java.util.TreeMap;

@Persistent
public class SortedMapField {
    public TreeMap<String, Long> byName;
}
