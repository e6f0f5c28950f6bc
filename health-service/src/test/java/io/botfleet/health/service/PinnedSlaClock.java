package io.botfleet.health.service;

import io.quarkus.test.Mock;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/** The SLA clock of the tests: the system clock unless a test pins it. */
@Mock
@ApplicationScoped
public class PinnedSlaClock extends SlaClock {

  private static volatile Instant pinned;

  /** Pins now to {@code instant} (null: the system clock again). */
  public static void pin(Instant instant) {
    pinned = instant;
  }

  @Override
  public Instant now() {
    Instant at = pinned;
    return at == null ? Instant.now() : at;
  }
}
