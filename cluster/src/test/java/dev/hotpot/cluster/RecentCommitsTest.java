package dev.hotpot.cluster;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
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
 * entry beyond the capacity: random runs of logging (ids from a small pool, so that ids repeat,
 * collide in the index and are evicted while others sit behind them in a probe run), lookups and
 * copies of the newest ids must agree, through the ring's growth and its wrapping.
 */
class RecentCommitsTest {

    /** Log {@code id} with {@code sequence}, or (when {@code sequence} is negative) look it up and take the newest {@code id} ids. */
    record Op(long id, long sequence) {
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Long> ids = Arbitraries.oneOf(
                Arbitraries.longs().between(0, 300),
                Arbitraries.longs().between(0, 300).map(i -> i << 40),
                Arbitraries.longs());
        Arbitrary<Long> sequences = Arbitraries.longs().between(-1, Long.MAX_VALUE);
        return Combinators.combine(ids, sequences).as(Op::new).list().ofMinSize(50).ofMaxSize(3000);
    }

    @Property(tries = 200)
    void agreesWithAnInsertionOrderedMapThatDropsItsEldest(@ForAll("operations") List<Op> ops,
                                                           @ForAll @IntRange(min = 0, max = 11) int capacityBits) {
        int capacity = 1 << capacityBits;
        RecentCommits recent = new RecentCommits(capacity);
        Map<Long, Long> model = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
                return size() > capacity;
            }
        };
        for (Op op : ops) {
            if (op.sequence() >= 0) {
                recent.logged(op.id(), op.sequence());
                model.put(op.id(), op.sequence());
            } else {
                assertEquals(model.getOrDefault(op.id(), -1L), recent.sequenceOf(op.id()), "sequence of " + op.id());
                int limit = (int) Math.floorMod(op.id(), capacity * 2L + 1);
                assertArrayEquals(newest(model, limit), recent.newest(limit), "newest " + limit);
            }
        }
        for (Map.Entry<Long, Long> entry : model.entrySet()) {
            assertEquals(entry.getValue(), recent.sequenceOf(entry.getKey()), "sequence of " + entry.getKey());
        }
        assertArrayEquals(newest(model, Integer.MAX_VALUE), recent.newest(Integer.MAX_VALUE));
    }

    @Test
    void aMillionIdsKeepTheNewestAndSurviveTheFile(@TempDir Path dir) {
        RecentCommits recent = new RecentCommits();
        int logged = RecentCommits.CAPACITY + 12345;
        for (long i = 0; i < logged; i++) {
            recent.logged(txId(i), i);
        }
        assertEquals(-1, recent.sequenceOf(txId(12344)), "evicted");
        assertEquals(12345, recent.sequenceOf(txId(12345)), "oldest kept");
        assertEquals(logged - 1, recent.sequenceOf(txId(logged - 1)), "newest");

        Path file = dir.resolve(RecentCommitsKeeper.FILE);
        RecentCommitsFile.save(recent, RecentCommits.SAVED, file);
        RecentCommits loaded = new RecentCommits();
        RecentCommitsFile.load(file, loaded);
        assertArrayEquals(recent.newest(RecentCommits.SAVED), loaded.newest(Integer.MAX_VALUE));
        assertEquals(-1, loaded.sequenceOf(txId(logged - RecentCommits.SAVED - 1L)), "older than the saved ones");
        assertEquals(logged - RecentCommits.SAVED, loaded.sequenceOf(txId(logged - RecentCommits.SAVED)));
    }

    @Test
    void aCapacityThatIsNoPowerOfTwoIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RecentCommits(1000));
    }

    /** Transaction ids as nodes make them: the node in the top bits, a counter below. */
    private static long txId(long counter) {
        return (3L << 48) | counter;
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
