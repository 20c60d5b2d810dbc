package dev.hotpot.cluster;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link RecentCommits} against a {@link LinkedHashMap} in insertion order that drops its eldest
 * entry beyond the capacity: random runs of logging (ids from small pools, so that ids repeat,
 * collide in the index and are evicted while others sit behind them in a probe run), lookups,
 * copies of the newest ids and, now and then, a replacement of all of them must agree. The ring
 * starts with 1 to 4 slots, so that it grows, then wraps and evicts, within one run.
 */
class RecentCommitsTest {

    enum Kind { LOG, LOOK_UP, COPY_NEWEST, REPLACE }

    /**
     * One operation on id {@code id}: a log gives it sequence {@code number}; a copy takes the
     * newest {@code number} ids; a replacement holds ids {@code id, id + 1, ...} with sequences
     * {@code number, number + 1, ...}, as many as {@code number} modulo twice the capacity plus one.
     */
    record Op(Kind kind, long id, long number) {
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Kind> kinds = Arbitraries.frequency(Tuple.of(70, Kind.LOG), Tuple.of(20, Kind.LOOK_UP),
                Tuple.of(10, Kind.COPY_NEWEST), Tuple.of(1, Kind.REPLACE));
        Arbitrary<Long> ids = Arbitraries.oneOf(
                Arbitraries.longs().between(0, 300),
                Arbitraries.longs().between(0, 300).map(i -> i << 40),
                Arbitraries.longs());
        Arbitrary<Long> numbers = Arbitraries.longs().between(0, 5000);
        return Combinators.combine(kinds, ids, numbers).as(Op::new).list().ofMinSize(50).ofMaxSize(3000)
                .withSizeDistribution(RandomDistribution.uniform());
    }

    @Property(tries = 200)
    void agreesWithAnInsertionOrderedMapThatDropsItsEldest(@ForAll("operations") List<Op> ops,
                                                           @ForAll @IntRange(min = 0, max = 8) int capacityBits,
                                                           @ForAll @IntRange(min = 0, max = 2) int initialBits) {
        int capacity = 1 << capacityBits;
        RecentCommits recent = new RecentCommits(capacity, 1 << initialBits);
        Map<Long, Long> model = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
                return size() > capacity;
            }
        };
        for (Op op : ops) {
            switch (op.kind()) {
                case LOG -> {
                    recent.logged(op.id(), op.number());
                    model.put(op.id(), op.number());
                }
                case LOOK_UP -> assertEquals(model.getOrDefault(op.id(), -1L), recent.sequenceOf(op.id()),
                        "sequence of " + op.id());
                case COPY_NEWEST -> {
                    int limit = (int) (op.number() % (capacity * 2L + 1));
                    assertArrayEquals(newest(model, limit), recent.newest(limit), "newest " + limit);
                }
                case REPLACE -> {
                    long[] pairs = new long[2 * (int) (op.number() % (capacity * 2L + 1))];
                    model.clear();
                    for (int k = 0; k < pairs.length / 2; k++) {
                        pairs[2 * k] = op.id() + k;
                        pairs[2 * k + 1] = op.number() + k;
                        model.put(op.id() + k, op.number() + k);
                    }
                    recent.replaceWith(pairs);
                }
            }
        }
        for (Map.Entry<Long, Long> entry : model.entrySet()) {
            assertEquals(entry.getValue(), recent.sequenceOf(entry.getKey()), "sequence of " + entry.getKey());
        }
        assertArrayEquals(newest(model, Integer.MAX_VALUE), recent.newest(Integer.MAX_VALUE));
    }

    @Test
    void aFullTableKeepsExactlyTheNewestIdsAndTheFileKeepsItsNewestHalf(@TempDir Path dir) {
        RecentCommits recent = new RecentCommits();
        long logged = RecentCommits.CAPACITY + 12345;
        for (long i = 0; i < logged; i++) {
            recent.logged(txId(i), i);
        }
        long oldestKept = logged - RecentCommits.CAPACITY;
        for (long i = 0; i < oldestKept; i++) {
            assertEquals(-1, recent.sequenceOf(txId(i)), "evicted id " + i);
        }
        for (long i = oldestKept; i < logged; i++) {
            assertEquals(i, recent.sequenceOf(txId(i)), "kept id " + i);
        }
        assertArrayEquals(pairs(oldestKept, logged), recent.newest(Integer.MAX_VALUE));

        Path file = dir.resolve(RecentCommitsKeeper.FILE);
        RecentCommitsFile.save(recent, RecentCommits.SAVED, file);
        RecentCommits loaded = new RecentCommits();
        RecentCommitsFile.load(file, loaded);
        assertArrayEquals(pairs(logged - RecentCommits.SAVED, logged), loaded.newest(Integer.MAX_VALUE));
        assertEquals(-1, loaded.sequenceOf(txId(logged - RecentCommits.SAVED - 1)), "older than the saved ones");
    }

    @Test
    void aCapacityThatIsNoPowerOfTwoUpTo2To29IsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RecentCommits(1000, 1));
        assertThrows(IllegalArgumentException.class, () -> new RecentCommits(Integer.MIN_VALUE, 1));
        assertThrows(IllegalArgumentException.class, () -> new RecentCommits(1 << 30, 1));
        assertThrows(IllegalArgumentException.class, () -> new RecentCommits(1024, 0));
    }

    /** Transaction ids as nodes make them: the node in the top bits, a counter below. */
    private static long txId(long counter) {
        return (3L << 48) | counter;
    }

    /** The pairs (txId, sequence) of counters {@code from} to {@code to} (exclusive), as {@link #txId} makes them. */
    private static long[] pairs(long from, long to) {
        long[] pairs = new long[(int) (2 * (to - from))];
        for (long i = from; i < to; i++) {
            pairs[(int) (2 * (i - from))] = txId(i);
            pairs[(int) (2 * (i - from)) + 1] = i;
        }
        return pairs;
    }

    private static long[] newest(Map<Long, Long> model, int limit) {
        List<Map.Entry<Long, Long>> entries = new ArrayList<>(model.entrySet());
        List<Map.Entry<Long, Long>> tail = entries.subList(Math.max(0, entries.size() - limit), entries.size());
        long[] pairs = new long[2 * tail.size()];
        for (int i = 0; i < tail.size(); i++) {
            pairs[2 * i] = tail.get(i).getKey();
            pairs[2 * i + 1] = tail.get(i).getValue();
        }
        return pairs;
    }
}
