package io.botfleet.health.domain;

import io.botfleet.health.domain.SlaMeasurement.Span;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The times health-service was not observing the fleet (it was down, or a mass silence left it
 * unable to tell a dead bot from a cut-off one), sorted and merged. SLA measures no uptime and no
 * downtime inside them: a control-plane outage must neither burn a bot's error budget nor make
 * fleet-service pause it.
 */
public final class ObservationGaps {

  /** No gaps: everything was observed. */
  public static final ObservationGaps NONE = new ObservationGaps(List.of());

  private final List<Span> gaps;

  private ObservationGaps(List<Span> gaps) {
    this.gaps = gaps;
  }

  /** The gaps of {@code spans} (any order, overlapping or not; each with an end). */
  public static ObservationGaps of(List<Span> spans) {
    List<Span> sorted = new ArrayList<>();
    for (Span s : spans) {
      if (s.end() == null) {
        throw new IllegalArgumentException("an observation gap needs an end: " + s);
      }
      if (s.end().isAfter(s.start())) {
        sorted.add(s);
      }
    }
    sorted.sort(Comparator.comparing(Span::start));
    List<Span> merged = new ArrayList<>();
    for (Span s : sorted) {
      Span last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
      if (last != null && !s.start().isAfter(last.end())) {
        if (s.end().isAfter(last.end())) {
          merged.set(merged.size() - 1, new Span(last.start(), s.end()));
        }
      } else {
        merged.add(s);
      }
    }
    return merged.isEmpty() ? NONE : new ObservationGaps(List.copyOf(merged));
  }

  /** The merged gaps, oldest first. */
  public List<Span> spans() {
    return gaps;
  }

  /** Time of [from, to) inside a gap. */
  public Duration within(Instant from, Instant to) {
    long ms = 0;
    for (Span g : gaps) {
      if (!g.start().isBefore(to)) {
        break;
      }
      Instant start = SlaMeasurement.later(g.start(), from);
      Instant end = SlaMeasurement.earlier(g.end(), to);
      if (end.isAfter(start)) {
        ms += Duration.between(start, end).toMillis();
      }
    }
    return Duration.ofMillis(ms);
  }

  /**
   * Where each gap ends, oldest first: there bots get one dead threshold of grace, as dead-bot
   * detection grants after a restart or a mass silence (they reconnect with backoff).
   */
  public List<Instant> ends() {
    List<Instant> ends = new ArrayList<>(gaps.size());
    gaps.forEach(g -> ends.add(g.end()));
    return ends;
  }
}
