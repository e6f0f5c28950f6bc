package io.botfleet.sdk.command;

import java.time.Instant;
import java.util.Map;

/**
 * What every command carries, whatever its type.
 *
 * @param id the command id (one command may go to many bots)
 * @param sequence this bot's sequence number for it (1, 2, 3 … in the order to apply them)
 * @param type the command name, e.g. {@code pause}
 * @param issueTime when it was issued
 * @param expireTime the bot must not act on it after this time
 * @param payload its payload as plain Java values: String, Double, Boolean, List, Map or null
 */
public record CommandInfo(
    String id,
    long sequence,
    String type,
    Instant issueTime,
    Instant expireTime,
    Map<String, Object> payload) {

  /** Copies the payload. */
  public CommandInfo {
    payload = payload == null ? Map.of() : java.util.Collections.unmodifiableMap(payload);
  }
}
