package dev.hotpot.cli;

import java.util.concurrent.Callable;

/**
 * A {@code hotpot} command that another module provides (a picocli {@code @Command} class with a
 * public no-argument constructor, listed in {@code META-INF/services}): the cluster's {@code node}.
 */
public interface Subcommand extends Callable<Integer> {
}
