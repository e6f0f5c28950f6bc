package io.botfleet.billing.persistence;

import java.time.Instant;
import java.time.OffsetDateTime;

/** Timestamps as native queries return them, whichever JDBC type the driver chose. */
final class Instants {

  private Instants() {}

  static Instant of(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof Instant instant) {
      return instant;
    }
    if (value instanceof OffsetDateTime odt) {
      return odt.toInstant();
    }
    if (value instanceof java.sql.Timestamp ts) {
      return ts.toInstant();
    }
    throw new IllegalStateException("unexpected timestamp type " + value.getClass());
  }
}
