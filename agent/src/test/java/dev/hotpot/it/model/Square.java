package dev.hotpot.it.model;

import dev.hotpot.Persistent;

@Persistent
public class Square extends Shape {
    public int side;
    public Shape neighbour;

    public Square(long id, int side) {
        super("square", id);
        this.side = side;
        name = name + "#" + side;
    }

    @Override
    public double area() {
        return (double) side * side;
    }
}
