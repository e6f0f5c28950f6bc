package io.botfleet.sdk.command;

import java.util.Map;

/**
 * A command the guide does not define ({@code [a-z][a-z0-9_]{0,63}}), sent with {@code SendCommand}
 * to a scope. Its meaning is between the operator and the bot.
 *
 * @param info id, sequence, type, times and the payload
 */
public record CustomCommand(CommandInfo info) {

  /** The command name. */
  public String type() {
    return info.type();
  }

  /** Its payload. */
  public Map<String, Object> payload() {
    return info.payload();
  }
}
