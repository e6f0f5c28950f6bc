package io.botfleet.fleetctl;

/**
 * A failure fleetctl itself detects (no key, a name that matches no bot, a file it cannot write),
 * with the exit code it ends with. The message is for the operator: what is wrong and what to do.
 */
public final class CliException extends RuntimeException {

  private final int exitCode;

  /** A failure with an exit code of {@link ExitCodes}. */
  public CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  /** The exit code. */
  public int exitCode() {
    return exitCode;
  }

  /** Invalid input (exit 2). */
  public static CliException invalid(String message) {
    return new CliException(ExitCodes.INVALID_INPUT, message);
  }

  /** Not found (exit 3). */
  public static CliException notFound(String message) {
    return new CliException(ExitCodes.NOT_FOUND, message);
  }
}
