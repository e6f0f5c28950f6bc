package io.botfleet.fleetctl.command;

import io.botfleet.fleetctl.CliException;
import io.botfleet.fleetctl.ExitCodes;
import io.botfleet.fleetctl.Fleetctl;
import io.botfleet.fleetctl.grpc.GrpcFailure;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * A command that does something: opens a {@link Session}, runs, and turns every failure into a
 * readable message on stderr and the exit code scripts rely on ({@link ExitCodes}).
 */
public abstract class BaseCommand implements Callable<Integer> {

  @Spec protected CommandSpec spec;

  @Mixin protected GlobalOptions global;

  /** The request id of this run's mutation, printed with a retryable failure. */
  private RequestIdOption requestId;

  @Override
  public final Integer call() {
    Fleetctl root = (Fleetctl) spec.root().userObject();
    try (Session session = new Session(root.terminal(), global)) {
      try {
        return run(session);
      } catch (StatusRuntimeException e) {
        GrpcFailure failure = GrpcFailure.of(e);
        failure.lines().forEach(line -> session.note("fleetctl: " + line));
        if (requestId != null && failure.exitCode() == ExitCodes.UNAVAILABLE) {
          session.note(
              "fleetctl: to retry without doing it twice: the same command with --request-id "
                  + requestId.get());
        }
        return failure.exitCode();
      } catch (IOException e) {
        session.note("fleetctl: " + e.getMessage());
        return ExitCodes.ERROR;
      }
    } catch (CliException e) {
      root.terminal().err().println("fleetctl: " + e.getMessage());
      root.terminal().err().flush();
      return e.exitCode();
    }
  }

  /** Does the work. */
  protected abstract int run(Session session) throws IOException;

  /** Says which request id a mutation uses (for the retry hint). */
  protected String requestId(Session session, RequestIdOption option) {
    this.requestId = option;
    return option.get();
  }

  /** A usage error (exit 2), shown with the command's usage hint. */
  protected ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  /**
   * Asks before a destructive action. With --yes it goes ahead; without a terminal it refuses (exit
   * 2: a script must say --yes); at a terminal only "y" or "yes" goes ahead, anything else ends the
   * run with exit 7.
   */
  protected void confirm(Session session, ConfirmOption option, String question) {
    if (option.yes) {
      return;
    }
    if (!session.terminal().interactive()) {
      throw CliException.invalid(
          question.replaceAll("\\?$", "")
              + ": refusing without a terminal to confirm; pass --yes to do it anyway");
    }
    session.terminal().err().print(question + " [y/N] ");
    session.terminal().err().flush();
    String answer;
    try {
      answer = session.terminal().in().readLine();
    } catch (IOException e) {
      answer = null;
    }
    if (answer == null
        || !(answer.trim().equalsIgnoreCase("y") || answer.trim().equalsIgnoreCase("yes"))) {
      throw new CliException(ExitCodes.NOT_CONFIRMED, "not confirmed: nothing was done");
    }
  }

  /** True if a status is NOT_FOUND (for commands that treat it as an answer). */
  protected static boolean notFound(StatusRuntimeException e) {
    return e.getStatus().getCode() == Status.Code.NOT_FOUND;
  }
}
