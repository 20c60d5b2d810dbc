package dev.hotpot.it.model;

import dev.hotpot.Persistent;

@Persistent
public class Circle extends Shape {
    public double radius;

    public Circle(long id, double radius) {
        super("circle", id);
        this.radius = radius;
    }

    @Override
    public double area() {
        return Math.PI * radius * radius;
    }
}
