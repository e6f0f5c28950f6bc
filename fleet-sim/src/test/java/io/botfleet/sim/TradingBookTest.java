package io.botfleet.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.botfleet.sdk.Fill;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TradingBookTest {

  final BotProfile arb = Fleets.guideFleet().get(0);
  final BotProfile mm = Fleets.guideFleet().get(8);
  final Instant morning = Instant.parse("2026-11-25T08:00:00Z");

  @Test
  void tradesAccumulateThroughTheDayAtTheStrategysRateWithAFillEach() {
    TradingBook book = new TradingBook(arb, new SplittableRandom(1), 1, morning);
    List<Fill> fills = new ArrayList<>();
    for (int hour = 1; hour <= 12; hour++) {
      fills.addAll(book.advance(morning.plus(Duration.ofHours(hour)), true));
    }
    // spot-arb averages 150 trades a day: about 75 in half a day.
    assertThat(book.trades()).isBetween(50L, 100L);
    assertThat(fills).hasSize((int) book.trades());
    assertThat(fills).allSatisfy(fill -> assertThat(fill.exchange()).isEqualTo("binance"));
    assertThat(fills.stream().map(Fill::fillId).distinct()).hasSize(fills.size());
  }

  @Test
  void aBotThatMayNotOpenMakesNoTradesButItsPositionsStillMove() {
    TradingBook book = new TradingBook(mm, new SplittableRandom(2), 1, morning);
    int positions = book.positions();
    var pnl = book.pnlUsd();

    List<Fill> fills = book.advance(morning.plus(Duration.ofHours(6)), false);

    assertThat(fills).isEmpty();
    assertThat(book.trades()).isZero();
    assertThat(book.positions()).isEqualTo(positions).isPositive();
    assertThat(book.pnlUsd()).isNotEqualTo(pnl);
  }

  @Test
  void theDayStartsAgainAtUtcMidnight() {
    TradingBook book = new TradingBook(arb, new SplittableRandom(3), 1, morning);
    book.advance(morning.plus(Duration.ofHours(15)), true);
    assertThat(book.trades()).isPositive();

    book.advance(Instant.parse("2026-11-26T00:00:01Z"), true);

    assertThat(book.trades()).isLessThan(3);
  }

  @Test
  void aDrawdownSpikeAndAFlattening() {
    TradingBook book = new TradingBook(mm, new SplittableRandom(4), 1, morning);
    book.advance(morning.plusSeconds(60), true);

    book.spikeDrawdown(12);
    assertThat(book.drawdownPct()).isCloseTo(12, org.assertj.core.data.Offset.offset(0.01));

    List<Fill> fills = new ArrayList<>();
    int closed = book.closePositions(morning.plusSeconds(61), fills);
    assertThat(book.cancelOrders()).isPositive();
    assertThat(book.positions()).isZero();
    assertThat(book.orders()).isZero();
    assertThat(fills).hasSize(closed);
  }

  @Test
  void errorsAreCountedSinceThePreviousHeartbeat() {
    TradingBook book = new TradingBook(arb, new SplittableRandom(5), 1, morning);
    book.addErrors(12);
    assertThat(book.takeErrors()).isEqualTo(12);
    assertThat(book.takeErrors()).isZero();
  }
}
