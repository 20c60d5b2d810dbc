package dev.hotpot.collections;

import dev.hotpot.heap.Heap;

import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A map in the persistent heap whose {@code Map} defaults that combine steps ({@code putIfAbsent},
 * {@code compute}, {@code merge}, {@code forEach}, ...) each run as one transaction of
 * {@link #heap()}: the default's reads and writes commit together or not at all, and join the
 * caller's transaction when there is one. The defaults themselves are {@code java.util.Map}'s,
 * built on the map's own {@code get}, {@code put}, {@code remove} and views.
 *
 * <p>Hazard: a function passed to one of these methods runs again when its transaction is re-run
 * after a conflict, so it should have no effects outside the heap.
 *
 * <p>Threading: as the implementing map; this interface adds no state.
 */
interface TransactionalMap<K, V> extends Map<K, V> {
    /** The heap the map lives in, whose transactions the combined defaults run in. */
    Heap heap();

    @Override
    default V putIfAbsent(K key, V value) {
        return heap().transaction(() -> Map.super.putIfAbsent(key, value));
    }

    @Override
    default boolean remove(Object key, Object value) {
        return heap().transaction(() -> Map.super.remove(key, value));
    }

    @Override
    default boolean replace(K key, V oldValue, V newValue) {
        return heap().transaction(() -> Map.super.replace(key, oldValue, newValue));
    }

    @Override
    default V replace(K key, V value) {
        return heap().transaction(() -> Map.super.replace(key, value));
    }

    @Override
    default V computeIfAbsent(K key, Function<? super K, ? extends V> mapping) {
        return heap().transaction(() -> Map.super.computeIfAbsent(key, mapping));
    }

    @Override
    default V computeIfPresent(K key, BiFunction<? super K, ? super V, ? extends V> remapping) {
        return heap().transaction(() -> Map.super.computeIfPresent(key, remapping));
    }

    @Override
    default V compute(K key, BiFunction<? super K, ? super V, ? extends V> remapping) {
        return heap().transaction(() -> Map.super.compute(key, remapping));
    }

    @Override
    default V merge(K key, V value, BiFunction<? super V, ? super V, ? extends V> remapping) {
        return heap().transaction(() -> Map.super.merge(key, value, remapping));
    }

    @Override
    default void forEach(BiConsumer<? super K, ? super V> action) {
        heap().transaction(() -> Map.super.forEach(action));
    }

    @Override
    default void replaceAll(BiFunction<? super K, ? super V, ? extends V> function) {
        heap().transaction(() -> Map.super.replaceAll(function));
    }
}
