package io.botfleet.fleetctl;

import io.grpc.Status;

/**
 * The exit codes scripts can rely on. They are part of fleetctl's interface (docs/fleetctl.md and
 * {@code fleetctl --help}): never renumber one.
 */
public final class ExitCodes {

  /** Done. */
  public static final int OK = 0;

  /**
   * Any other failure (a bug in a service, an RPC a service does not implement yet, a local I/O).
   */
  public static final int ERROR = 1;

  /** Invalid input: a usage error, or INVALID_ARGUMENT / OUT_OF_RANGE from a service. */
  public static final int INVALID_INPUT = 2;

  /** NOT_FOUND: the bot, identity, deployment … does not exist (nothing was changed). */
  public static final int NOT_FOUND = 3;

  /** PERMISSION_DENIED or UNAUTHENTICATED: the operator's role or key does not allow it. */
  public static final int DENIED = 4;

  /** UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED: retry (same --request-id). */
  public static final int UNAVAILABLE = 5;

  /** ALREADY_EXISTS or FAILED_PRECONDITION: the state does not allow it (e.g. not paused). */
  public static final int CONFLICT = 6;

  /** A destructive command was not confirmed at the prompt: nothing was done. */
  public static final int NOT_CONFIRMED = 7;

  /** A watched operation ended without success (a deployment rolled back, aborted or failed). */
  public static final int UNSUCCESSFUL = 8;

  /** The table printed by {@code fleetctl --help}. */
  public static final String HELP =
      """
      Exit codes:
        0  done
        1  other error (a service bug, an RPC not implemented yet, a local I/O error)
        2  invalid input (usage, INVALID_ARGUMENT, OUT_OF_RANGE)
        3  not found (NOT_FOUND)
        4  denied (PERMISSION_DENIED, UNAUTHENTICATED, no operator key)
        5  unavailable: retry (UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED)
        6  conflict with the current state (ALREADY_EXISTS, FAILED_PRECONDITION)
        7  not confirmed at the prompt: nothing was done
        8  a watched deployment ended without completing (rolled back, aborted, failed)
      """;

  private ExitCodes() {}

  /** The exit code of a gRPC status. */
  public static int of(Status.Code code) {
    return switch (code) {
      case OK -> OK;
      case INVALID_ARGUMENT, OUT_OF_RANGE -> INVALID_INPUT;
      case NOT_FOUND -> NOT_FOUND;
      case PERMISSION_DENIED, UNAUTHENTICATED -> DENIED;
      case UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED -> UNAVAILABLE;
      case ALREADY_EXISTS, FAILED_PRECONDITION -> CONFLICT;
      default -> ERROR;
    };
  }
}
