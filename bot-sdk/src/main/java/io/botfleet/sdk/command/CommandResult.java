package io.botfleet.sdk.command;

import java.util.Map;
import java.util.Objects;

/**
 * What a handler says about a command; the SDK acknowledges it to the control plane accordingly. A
 * handler that throws is acknowledged {@link Outcome#FAILED} with the exception's message.
 *
 * @param outcome done, failed or rejected
 * @param message why, for failed and rejected (up to 1024 characters are sent)
 * @param result optional structured result (e.g. {@code orders_cancelled}), plain Java values
 */
public record CommandResult(Outcome outcome, String message, Map<String, Object> result) {

  /** How a command ended. */
  public enum Outcome {
    /** Carried out. */
    DONE,
    /** Tried and failed. */
    FAILED,
    /** Refused (not supported, invalid payload, not applicable now). */
    REJECTED
  }

  /** Checks the fields. */
  public CommandResult {
    Objects.requireNonNull(outcome, "outcome");
    message = message == null ? "" : message;
    result = result == null ? Map.of() : Map.copyOf(result);
  }

  /** Carried out. */
  public static CommandResult done() {
    return new CommandResult(Outcome.DONE, "", Map.of());
  }

  /** Carried out, with a structured result. */
  public static CommandResult done(Map<String, Object> result) {
    return new CommandResult(Outcome.DONE, "", result);
  }

  /** Tried and failed, and why. */
  public static CommandResult failed(String message) {
    return new CommandResult(Outcome.FAILED, message, Map.of());
  }

  /** Refused, and why. */
  public static CommandResult rejected(String message) {
    return new CommandResult(Outcome.REJECTED, message, Map.of());
  }
}
