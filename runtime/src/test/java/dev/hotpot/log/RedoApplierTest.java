package dev.hotpot.log;

import dev.hotpot.heap.CheckpointListener;
import dev.hotpot.heap.Pages;
import dev.hotpot.storage.PersistenceMode;
import dev.hotpot.testing.InMemoryImage;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RedoApplierTest {
    private static InMemoryImage image(PersistenceMode mode) {
        return new InMemoryImage(MemorySegment.ofArray(new byte[64 * Pages.SIZE]), mode, new ArrayList<>());
    }

    /** Applies one record writing a byte on each of {@code pages}. */
    private static void applyTo(RedoApplier applier, int... pages) {
        RecordBuffer record = new RecordBuffer();
        for (int page : pages) {
            record.addRange(Pages.addressOf(page), MemorySegment.ofArray(new byte[]{1}), 0, 1);
        }
        record.seal(1, 0);
        applier.commit(0, 1, 1, record.body());
    }

    @Test
    void onDaxEachRunOfTouchedPagesIsForcedAloneNotTheSpanBetween() {
        InMemoryImage image = image(PersistenceMode.DAX);
        RedoApplier applier = new RedoApplier(image, CheckpointListener.NONE);
        applyTo(applier, 3, 4, 40, 60);
        applier.forceTouched();
        assertEquals(List.of("3+2", "40+1", "60+1"), pagesOf(image.forced()));
    }

    @Test
    void withMsyncOneForceCoversTheSpanOfTouchedPages() {
        InMemoryImage image = image(PersistenceMode.MSYNC);
        RedoApplier applier = new RedoApplier(image, CheckpointListener.NONE);
        applyTo(applier, 3, 4, 40, 60);
        applier.forceTouched();
        assertEquals(List.of("3+58"), pagesOf(image.forced()));
    }

    private static List<String> pagesOf(List<long[]> ranges) {
        return ranges.stream().map(r -> r[0] / Pages.SIZE + "+" + r[1] / Pages.SIZE).toList();
    }
}
