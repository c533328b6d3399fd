package go4j.internal;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The deadlock detector's cell map (Liveness): a cell updated with a plain read and store must have exactly one
 * writer, so no two M slots may map to an exclusive cell, and no slot that updates atomically may map to one.
 */
class LivenessCellsTest {
    @Test
    void everyExclusiveCellHasOneSlotAndSharedSlotsNeverLandOnOne() {
        Set<Integer> exclusiveCells = new HashSet<>();
        for (int slot = 1; slot <= Liveness.EXCLUSIVE; slot++) {
            assertThat(Liveness.isExclusive(slot)).isTrue();
            assertThat(exclusiveCells.add(Liveness.cellOf(slot))).as("slot %d has a cell of its own", slot).isTrue();
        }
        assertThat(exclusiveCells).doesNotContain(0);
        Set<Integer> sharedCells = new HashSet<>();
        for (int slot = Liveness.EXCLUSIVE + 1; slot <= Liveness.EXCLUSIVE + 1_000; slot++) {
            assertThat(Liveness.isExclusive(slot)).isFalse();
            int cell = Liveness.cellOf(slot);
            assertThat(cell).isBetween(1, Liveness.cells() - 1);
            assertThat(exclusiveCells).as("slot %d", slot).doesNotContain(cell);
            sharedCells.add(cell);
        }
        assertThat(sharedCells).hasSizeGreaterThan(1); // the Ms after the first EXCLUSIVE are spread, not piled up
        assertThat(Liveness.isExclusive(0)).isFalse();
        assertThat(Liveness.cellOf(0)).isZero();
    }
}
