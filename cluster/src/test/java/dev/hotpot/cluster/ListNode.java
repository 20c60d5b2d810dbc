package dev.hotpot.cluster;

import dev.hotpot.Hotpot;
import dev.hotpot.heap.Heap;

import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32C;

/**
 * A cluster node of the list-append history test: shared lists in the heap (root {@code lists}:
 * the address of each list; a list is {@code count}, its values, then the address of each value's
 * box), to which each thread appends unique values. Each append also allocates a box, a block that
 * holds the value again, so that the history checks allocation too: a box handed out twice, or
 * lost by a crash, no longer holds its value. Each append reads the whole list first; the history
 * file gets {@code ack <list> <value> <readLength> <readHash>} once the append returned (the list
 * it read was {@code readLength} values long with that CRC32C), {@code unknown <list> <value>} when
 * its outcome is unknown and {@code unavailable <list> <value>} when it was never sent.
 *
 * <p>Control files as {@link BankNode}'s; the state file holds the page hash, every list, and per
 * list the number of values whose box holds them ({@code boxed <list> <count>}).
 * Args: controlDir historyFile lists threads.
 */
public final class ListNode {
    private static final int CAPACITY = 20_000;

    static List<String> arguments(int lists, int threads) {
        return List.of(Integer.toString(lists), Integer.toString(threads));
    }

    public static void main(String[] args) {
        NodeMain.run(args, ListNode::run);
    }

    private static void run(String[] args) throws Exception {
        Path control = Path.of(args[0]);
        Path history = Path.of(args[1]);
        int count = Integer.parseInt(args[2]);
        int threads = Integer.parseInt(args[3]);
        String node = System.getProperty("hotpot.node");
        Heap heap = Hotpot.heap();
        long lists = setUp(heap, count);
        System.out.println("READY " + node);
        List<Thread> workers = new ArrayList<>();
        try (PrintStream out = new PrintStream(new FileOutputStream(history.toFile(), true), true)) {
            for (int t = 0; t < threads; t++) {
                workers.add(Thread.ofPlatform().start(() -> appends(heap, control, out, lists, count)));
            }
            for (Thread worker : workers) {
                worker.join();
            }
        }
        NodeMain.finish(heap, control, node, () -> {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < count; i++) {
                long list = heap.getLong(lists + 8L * i);
                text.append("list ").append(i);
                long boxed = 0;
                for (long j = 0, n = heap.getLong(list); j < n; j++) {
                    long value = heap.getLong(list + 8 + 8 * j);
                    text.append(' ').append(value);
                    long box = heap.getLong(boxes(list) + 8 * j);
                    if (box != 0 && heap.getLong(box) == value) {
                        boxed++;
                    }
                }
                text.append("\nboxed ").append(i).append(' ').append(boxed).append('\n');
            }
            return text.toString();
        });
    }

    private static long setUp(Heap heap, int count) {
        return NodeMain.setUp(heap, () -> {
            long lists = heap.root("lists");
            if (lists == 0) {
                lists = heap.allocate(8L * count);
                for (int i = 0; i < count; i++) {
                    heap.putLong(lists + 8L * i, heap.allocate(8L + 16L * CAPACITY));
                }
                heap.setRoot("lists", lists);
            }
            return lists;
        });
    }

    private static void appends(Heap heap, Path control, PrintStream history, long lists, int count) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (!Files.exists(control.resolve("stop"))) {
            int index = random.nextInt(count);
            long value = random.nextLong() & Long.MAX_VALUE;
            try {
                long[] read = heap.transaction(() -> {
                    long list = heap.getLong(lists + 8L * index);
                    long n = heap.getLong(list);
                    if (n >= CAPACITY) {
                        throw new IllegalStateException("list full");
                    }
                    CRC32C crc = new CRC32C();
                    for (long j = 0; j < n; j++) {
                        update(crc, heap.getLong(list + 8 + 8 * j));
                    }
                    heap.putLong(list + 8 + 8 * n, value);
                    long box = heap.allocate(8);
                    heap.putLong(box, value);
                    heap.putLong(boxes(list) + 8 * n, box);
                    heap.putLong(list, n + 1);
                    return new long[] {n, crc.getValue()};
                });
                history.println("ack " + index + " " + value + " " + read[0] + " " + read[1]);
            } catch (CommitOutcomeUnknownException e) {
                history.println("unknown " + index + " " + value);
            } catch (ClusterUnavailableException e) {
                history.println("unavailable " + index + " " + value);
            } catch (IllegalStateException full) {
                return;
            }
        }
    }

    /** Where the box addresses of {@code list} start. */
    private static long boxes(long list) {
        return list + 8 + 8L * CAPACITY;
    }

    static void update(CRC32C crc, long value) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            crc.update((int) (value >>> shift));
        }
    }
}
