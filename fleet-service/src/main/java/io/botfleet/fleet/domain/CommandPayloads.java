package io.botfleet.fleet.domain;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The guide's command payloads (chapters 2, 3 and 5). Each carries {@code command} and a {@code
 * timestamp}, as the guide's send_message payloads do, so a bot reading a GreenHelix message and a
 * bot reading its stream see the same thing.
 */
public final class CommandPayloads {

  /** The guide's emergency-stop actions. */
  public static final List<String> STOP_ACTIONS =
      List.of("cancel_all_open_orders", "close_all_positions_market", "halt_trading_loop");

  /** Added for a compromised bot. */
  public static final String DESTROY_LOCAL_KEYS = "destroy_local_keys";

  private CommandPayloads() {}

  /** {@code pause} {reason, timestamp}. */
  public static Map<String, Object> pause(String reason, Instant now) {
    Map<String, Object> payload = base(CommandType.PAUSE);
    payload.put("reason", reason);
    payload.put("timestamp", now.toString());
    return payload;
  }

  /** {@code resume} {timestamp} (and the operator's reason, if given). */
  public static Map<String, Object> resume(String reason, Instant now) {
    Map<String, Object> payload = base(CommandType.RESUME);
    if (reason != null && !reason.isBlank()) {
      payload.put("reason", reason);
    }
    payload.put("timestamp", now.toString());
    return payload;
  }

  /** {@code emergency_stop} {reason, actions, timestamp}. */
  public static Map<String, Object> emergencyStop(
      String reason, List<String> actions, Instant now) {
    Map<String, Object> payload = base(CommandType.EMERGENCY_STOP);
    payload.put("reason", reason);
    payload.put("actions", List.copyOf(actions));
    payload.put("timestamp", now.toString());
    return payload;
  }

  /** {@code shutdown} {reason deregistered_from_fleet, grace_period_seconds}. */
  public static Map<String, Object> shutdown(int gracePeriodSeconds, Instant now) {
    Map<String, Object> payload = base(CommandType.SHUTDOWN);
    payload.put("reason", "deregistered_from_fleet");
    payload.put("grace_period_seconds", gracePeriodSeconds);
    payload.put("timestamp", now.toString());
    return payload;
  }

  /**
   * {@code rotate_key}: the bot makes its own keypair (the control plane never holds a private key)
   * and registers the public key for this rotation before the deadline (docs/protocol.md).
   */
  public static Map<String, Object> rotateKey(
      String rotationId, int keyVersion, Instant deadline, Instant now) {
    Map<String, Object> payload = base(CommandType.ROTATE_KEY);
    payload.put("rotation_id", rotationId);
    payload.put("key_version", keyVersion);
    payload.put("deadline", deadline.toString());
    payload.put("effective_at", now.toString());
    payload.put("timestamp", now.toString());
    return payload;
  }

  /**
   * {@code assume_responsibility} {from_bot, group, exchange, strategy, reason, timestamp}; for a
   * stateful group the replacement must read open positions from the exchange before it decides
   * anything.
   */
  public static Map<String, Object> assumeResponsibility(
      Bot dead, String reason, boolean stateful, Instant now) {
    Map<String, Object> payload = base(CommandType.ASSUME_RESPONSIBILITY);
    payload.put("from_bot", dead.id());
    payload.put("group", dead.group());
    payload.put("exchange", dead.exchange());
    payload.put("strategy", dead.strategy());
    payload.put("reason", reason);
    payload.put("reconcile_positions_first", stateful);
    payload.put("timestamp", now.toString());
    return payload;
  }

  /** A custom command: {command, ...payload, timestamp} as the guide's send_group_command. */
  public static Map<String, Object> custom(String type, Map<String, Object> given, Instant now) {
    Map<String, Object> payload = base(type);
    payload.putAll(given);
    payload.put("command", type);
    payload.put("timestamp", now.toString());
    return payload;
  }

  private static Map<String, Object> base(String type) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("command", type);
    return payload;
  }
}
