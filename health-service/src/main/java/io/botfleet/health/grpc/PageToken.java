package io.botfleet.health.grpc;

import io.botfleet.common.error.InvalidArgumentException;
import io.botfleet.common.events.PageTokens;
import io.botfleet.health.domain.PagePosition;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Keyset page tokens over (time, id), newest first. */
final class PageToken {

  private PageToken() {}

  static String of(Instant time, UUID id) {
    return PageTokens.encode(time.getEpochSecond() + "." + time.getNano() + "|" + id);
  }

  static Optional<PagePosition> parse(String token) {
    String position = PageTokens.decode(token, "page_token");
    if (position.isEmpty()) {
      return Optional.empty();
    }
    try {
      String[] parts = position.split("\\|");
      String[] time = parts[0].split("\\.");
      return Optional.of(
          new PagePosition(
              Instant.ofEpochSecond(Long.parseLong(time[0]), Long.parseLong(time[1])),
              UUID.fromString(parts[1])));
    } catch (RuntimeException e) {
      throw new InvalidArgumentException("page_token", "is not a page token returned by this API");
    }
  }
}
