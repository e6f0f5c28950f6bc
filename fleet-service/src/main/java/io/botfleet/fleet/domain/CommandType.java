package io.botfleet.fleet.domain;

import io.botfleet.common.error.InvalidArgumentException;
import java.util.Set;
import java.util.regex.Pattern;

/** Command names, and which of them only their own RPCs may send. */
public final class CommandType {

  /** Stop opening positions. */
  public static final String PAUSE = "pause";

  /** Trade again (paused bots only). */
  public static final String RESUME = "resume";

  /** Cancel, close, halt. */
  public static final String EMERGENCY_STOP = "emergency_stop";

  /** Leave the fleet. */
  public static final String SHUTDOWN = "shutdown";

  /** Make a new key and register it. */
  public static final String ROTATE_KEY = "rotate_key";

  /** Take over a dead bot's work. */
  public static final String ASSUME_RESPONSIBILITY = "assume_responsibility";

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");

  /** Sent only by the RPCs that also enforce or track them. */
  private static final Set<String> RESERVED =
      Set.of(PAUSE, RESUME, EMERGENCY_STOP, SHUTDOWN, ROTATE_KEY, ASSUME_RESPONSIBILITY);

  private CommandType() {}

  /** INVALID_ARGUMENT unless {@code type} may be sent with SendCommand. */
  public static void checkSendable(String type, String field) {
    if (type == null || !NAME.matcher(type).matches()) {
      throw new InvalidArgumentException(field, "must match [a-z][a-z0-9_]{0,63}, got " + type);
    }
    if (RESERVED.contains(type)) {
      throw new InvalidArgumentException(
          field,
          type
              + " has its own RPC (PauseBots, ResumeBots, EmergencyStop, DeregisterBot,"
              + " InitiateFailover, or the key rotation schedule), which also enforces it");
    }
  }
}
