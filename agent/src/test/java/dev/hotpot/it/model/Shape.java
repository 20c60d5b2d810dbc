package dev.hotpot.it.model;

import dev.hotpot.Persistent;

/** An abstract persistent superclass: its fields live in every subclass's objects. */
@Persistent
public abstract class Shape {
    protected String name;
    private long id;

    protected Shape(String name, long id) {
        this.name = name;
        this.id = id;
    }

    public long id() {
        return id;
    }

    public String name() {
        return name;
    }

    public abstract double area();
}
