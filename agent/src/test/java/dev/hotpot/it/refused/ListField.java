package dev.hotpot.it.refused;

import dev.hotpot.Persistent;

import java.util.List;

@Persistent
public class ListField {
    public List<String> names;
}
