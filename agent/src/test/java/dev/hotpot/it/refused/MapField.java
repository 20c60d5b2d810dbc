package dev.hotpot.it.refused;

import dev.hotpot.Persistent;

import java.util.HashMap;

@Persistent
public class MapField {
    public HashMap<String, Long> index;
}
