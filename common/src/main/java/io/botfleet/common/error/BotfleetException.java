package io.botfleet.common.error;

import java.util.Map;

/**
 * A failure the caller can act on, thrown by domain and use-case code without any gRPC type. The
 * gRPC layer maps its {@link Kind} to the canonical status, with a {@code google.rpc.ErrorInfo}
 * carrying {@link #reason()} and {@link #metadata()} (see {@code GrpcErrors}).
 */
public class BotfleetException extends RuntimeException {

  /** What went wrong, as far as the caller's next step is concerned. */
  public enum Kind {
    /** The thing asked for does not exist. */
    NOT_FOUND,
    /** The thing to create exists already. */
    ALREADY_EXISTS,
    /** The request is malformed (see {@link InvalidArgumentException}). */
    INVALID_ARGUMENT,
    /** The operation does not fit the current state. */
    FAILED_PRECONDITION,
    /** The caller may not do this. */
    PERMISSION_DENIED,
    /** The caller could not be authenticated. */
    UNAUTHENTICATED,
    /** A dependency is down for now; retrying later may work. */
    UNAVAILABLE
  }

  private final Kind kind;
  private final String reason;
  private final Map<String, String> metadata;

  /**
   * @param kind what went wrong
   * @param reason a stable UPPER_SNAKE code, e.g. {@code BOT_NOT_FOUND}
   * @param message a short actionable message for a human
   * @param metadata ids and values that explain the error (never secrets)
   */
  public BotfleetException(Kind kind, String reason, String message, Map<String, String> metadata) {
    super(message);
    this.kind = kind;
    this.reason = reason;
    this.metadata = Map.copyOf(metadata);
  }

  /** NOT_FOUND. */
  public static BotfleetException notFound(
      String reason, String message, Map<String, String> metadata) {
    return new BotfleetException(Kind.NOT_FOUND, reason, message, metadata);
  }

  /** ALREADY_EXISTS. */
  public static BotfleetException alreadyExists(
      String reason, String message, Map<String, String> metadata) {
    return new BotfleetException(Kind.ALREADY_EXISTS, reason, message, metadata);
  }

  /** FAILED_PRECONDITION. */
  public static BotfleetException failedPrecondition(
      String reason, String message, Map<String, String> metadata) {
    return new BotfleetException(Kind.FAILED_PRECONDITION, reason, message, metadata);
  }

  /** PERMISSION_DENIED. */
  public static BotfleetException permissionDenied(String reason, String message) {
    return new BotfleetException(Kind.PERMISSION_DENIED, reason, message, Map.of());
  }

  /** UNAUTHENTICATED. */
  public static BotfleetException unauthenticated(String reason, String message) {
    return new BotfleetException(Kind.UNAUTHENTICATED, reason, message, Map.of());
  }

  /** UNAVAILABLE. */
  public static BotfleetException unavailable(String reason, String message) {
    return new BotfleetException(Kind.UNAVAILABLE, reason, message, Map.of());
  }

  /** What went wrong. */
  public Kind kind() {
    return kind;
  }

  /** The stable machine-readable reason. */
  public String reason() {
    return reason;
  }

  /** Ids and values that explain the error. */
  public Map<String, String> metadata() {
    return metadata;
  }
}
