package dev.hotpot.collections;

import dev.hotpot.heap.Heap;

import java.util.Iterator;
import java.util.NoSuchElementException;

import static dev.hotpot.collections.BPlusTree.HIGHER;
import static dev.hotpot.collections.SortedMapView.NONE;
import static dev.hotpot.collections.Storable.cast;

/**
 * A weakly consistent iteration of a {@link SortedMapView}, as in {@code ConcurrentSkipListMap}:
 * it never throws {@code ConcurrentModificationException} and returns every key that is in the
 * view throughout the iteration, once, in the view's order.
 *
 * <p>Invariants: it holds a batch of entries read in one transaction and the last key it
 * returned; a batch is used only while no change was made through this map since it was read
 * and, if it was read inside a transaction, only until that transaction ends. While a batch read
 * inside the calling thread's open transaction is still usable, the next batch goes on from the
 * leaf position where it stopped, in the same transaction, which validates that leaf; otherwise
 * the next batch seeks the last key returned, so a removed or moved node is never followed, and
 * outside a transaction no node address outlives the batch that read it. Batches that seek grow
 * from 8 to 32 entries to spread the seek and their own transaction; batches that go on stay at
 * 8, so a short scan in a transaction reads few keys and values it does not return (a string key
 * is a blob, likely on a page of its own). State changes only after a batch's transaction has
 * committed, so a step re-run after a conflict starts from the same state.
 *
 * <p>Threading: not thread-safe, as {@code java.util} iterators are not: one thread at a time.
 * Each step that reads is a transaction of its own or joins the caller's.
 *
 * @param <T> what a step returns: keys, values or entries
 */
final class SortedMapIterator<K, V, T> implements Iterator<T> {
    /** Steps return keys. */
    static final int KEYS = 0;
    /** Steps return values. */
    static final int VALUES = 1;
    /** Steps return {@link SortedMapIteratedEntry entries} that write through. */
    static final int ENTRIES = 2;

    private static final int FIRST_BATCH = 8;
    private static final int LARGEST_BATCH = 32;

    /**
     * Up to {@code count} entries read in one transaction; {@code end}: nothing follows them in the
     * view; {@code next}: where the entry after them is, for the rest of that transaction, or null
     * when a batch after this one must seek.
     */
    private record Batch(Object[] keys, Object[] values, int count, boolean end, BPlusTree.Cursor next) {
    }

    private final SortedMapView<K, V> view;
    private final Heap heap;
    private final BPlusTree tree;
    private final int yield;
    private Batch batch;
    private int at;
    private int batchSize = FIRST_BATCH;
    private long readAtChanges;
    private boolean stale;
    private boolean watchingTransaction;
    /** The thread whose open transaction read the batch, or null: only it may go on from the batch's {@code next}. */
    private Thread readInTransactionBy;
    private Object last = NONE;
    private Object removable = NONE;
    /** hasNext() said yes: next() returns the batch's current element even if the batch went stale since. */
    private boolean promised;

    /** @param yield what a step returns: {@link #KEYS}, {@link #VALUES} or {@link #ENTRIES} */
    SortedMapIterator(SortedMapView<K, V> view, int yield) {
        this.view = view;
        this.heap = view.heap();
        this.tree = view.tree();
        this.yield = yield;
    }

    private boolean batchValid() {
        return batch != null && !stale && tree.changes() == readAtChanges;
    }

    @Override
    public boolean hasNext() {
        if (promised) {
            return true;
        }
        if (batchValid() && (at < batch.count() || batch.end())) {
            promised = at < batch.count();
            return promised;
        }
        long changes = tree.changes();
        boolean inTransaction = heap.inTransaction();
        BPlusTree.Cursor from = inTransaction && batchValid() && readInTransactionBy == Thread.currentThread()
                ? batch.next() : null;
        Object after = last;
        int size = from == null ? batchSize : FIRST_BATCH;
        batch = heap.transaction(() -> read(after, from, size, yield != KEYS, inTransaction));
        at = 0;
        readAtChanges = changes;
        stale = false;
        readInTransactionBy = inTransaction ? Thread.currentThread() : null;
        if (from == null) {
            batchSize = Math.min(2 * batchSize, LARGEST_BATCH);
        }
        if (inTransaction && !watchingTransaction) {
            watchingTransaction = true;
            heap.onFinish(() -> {
                stale = true;
                watchingTransaction = false;
            });
        }
        promised = at < batch.count();
        return promised;
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the iteration of PersistentSortedMap at address="
                    + view.owner().hotpot$address + " is done");
        }
        promised = false;
        Object key = batch.keys()[at];
        Object value = batch.values() == null ? null : batch.values()[at];
        at++;
        last = key;
        removable = key;
        return cast(switch (yield) {
            case KEYS -> key;
            case VALUES -> value;
            default -> new SortedMapIteratedEntry<K, V>(view, cast(key), cast(value));
        });
    }

    @Override
    public void remove() {
        if (removable == NONE) {
            throw new IllegalStateException("remove() needs a preceding next() that it has not removed yet");
        }
        SortKey key = SortKey.of(removable);
        heap.transaction(() -> tree.remove(key));
        removable = NONE;
    }

    /**
     * Reads up to {@code max} entries in view order from {@code from}, or when it is null after
     * {@code after} (from the start for {@link SortedMapView#NONE}), in a transaction. Ascending
     * reads follow the leaf chain; descending reads stop at the start of a leaf, and the next batch
     * seeks again. The batch keeps where it stopped only when {@code resumable}.
     */
    private Batch read(Object after, BPlusTree.Cursor from, int max, boolean withValues, boolean resumable) {
        SortedMapRange<K> range = view.range();
        boolean descending = range.descending;
        // A copy, so that a read that fails leaves the batch that handed out the position as it was.
        BPlusTree.Cursor c = from == null ? new BPlusTree.Cursor() : from.copy();
        boolean found = from != null || (after == NONE ? range.first(c) : range.seek(HIGHER, SortKey.of(after), c));
        Object[] keys = new Object[max];
        Object[] values = withValues ? new Object[max] : null;
        int n = 0;
        boolean end = !found;
        boolean atNext = resumable;
        while (found && n < max) {
            long entry = tree.entry(c);
            if (range.pastLast(entry)) {
                end = true;
                break;
            }
            keys[n] = tree.key(entry);
            if (withValues) {
                values[n] = tree.value(entry);
            }
            n++;
            if (descending) {
                if (c.index == 0) {
                    atNext = false;
                    break;
                }
                c.index--;
            } else if (!tree.advance(c)) {
                end = true;
                break;
            }
        }
        return new Batch(keys, values, n, end, atNext && !end ? c : null);
    }
}
