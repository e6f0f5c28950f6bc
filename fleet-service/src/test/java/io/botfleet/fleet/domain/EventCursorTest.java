package io.botfleet.fleet.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class EventCursorTest {

  @Test
  void contiguousSequencesMoveTheFloor() {
    EventCursor cursor = new EventCursor(10, 5_000);
    assertThat(cursor.accept(List.of(11L, 12L, 13L), 0)).containsExactly(11L, 12L, 13L);
    assertThat(cursor.floor()).isEqualTo(13);
  }

  @Test
  void aGapHoldsTheFloorUntilItFillsAndNothingIsSentTwice() {
    EventCursor cursor = new EventCursor(10, 5_000);
    // 12 committed before 11: 12 is delivered, the floor waits below 11.
    assertThat(cursor.accept(List.of(12L), 0)).containsExactly(12L);
    assertThat(cursor.floor()).isEqualTo(10);
    // The next read (after the floor) sees 11 and 12 again: only 11 is new.
    assertThat(cursor.accept(List.of(11L, 12L, 13L), 1_000)).containsExactly(11L, 13L);
    assertThat(cursor.floor()).isEqualTo(13);
  }

  @Test
  void aGapThatNeverFillsIsSkippedAfterTheTimeout() {
    EventCursor cursor = new EventCursor(10, 5_000);
    cursor.accept(List.of(12L, 13L), 0);
    assertThat(cursor.floor()).isEqualTo(10);
    assertThat(cursor.accept(List.of(12L, 13L), 4_999)).isEmpty();
    assertThat(cursor.floor()).isEqualTo(10);
    assertThat(cursor.accept(List.of(12L, 13L), 5_000)).isEmpty();
    assertThat(cursor.floor()).isEqualTo(13);
  }
}
