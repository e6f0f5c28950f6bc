package io.botfleet.identity.service;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * The time the service writes, in microseconds (PostgreSQL's precision), so that an answer built
 * from what was just written equals what a later read returns.
 */
final class Timestamps {

  private Timestamps() {}

  static OffsetDateTime now() {
    return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
  }
}
