package dev.hotpot.it.model;

public enum Color {
    RED, GREEN, BLUE
}
