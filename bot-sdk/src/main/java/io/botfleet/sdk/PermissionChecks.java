package io.botfleet.sdk;

import static io.botfleet.sdk.PermissionDecision.INTERRUPTED;
import static io.botfleet.sdk.PermissionDecision.NOT_RUNNING;
import static io.botfleet.sdk.PermissionDecision.TIMEOUT;
import static io.botfleet.sdk.PermissionDecision.undecided;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Asks permission-service whether this bot may do an action, e.g. before each order ({@link
 * BotfleetClient#permissions()}). Checks go over one {@code StreamPermissionChecks} stream per
 * client, opened by the first check and signed once, so a check costs no signature of its own
 * (unary CheckPermission verifies an Ed25519 signature per call: about 6,000 checks/s for a whole
 * permission-service, against 42,000/s on streams; bench/README.md).
 *
 * <p>Fails closed: when no decision can be had (the stream down or reopening, no answer in time,
 * too many checks waiting, the client not running) the answer is a denial with {@link
 * PermissionDecision#decided()} false, never an exception. A check permission-service calls
 * malformed is a programming error: it fails with an {@link IllegalArgumentException} naming the
 * fields.
 *
 * <p>Thread-safe; many checks may wait at once, up to {@link #MAX_IN_FLIGHT}.
 */
public final class PermissionChecks {

  /**
   * Checks that may wait for their answers at once; a check beyond it is denied at once ({@link
   * PermissionDecision#TOO_MANY_IN_FLIGHT}) rather than queued: a backlog of checks only makes
   * every order later, and the decisions stale.
   */
  public static final int MAX_IN_FLIGHT = 1000;

  private final Supplier<PermissionStream> stream;
  private final Supplier<ClientStatus.State> state;
  private final Duration defaultTimeout;

  PermissionChecks(
      Supplier<PermissionStream> stream,
      Supplier<ClientStatus.State> state,
      Duration defaultTimeout) {
    this.stream = stream;
    this.state = state;
    this.defaultTimeout = defaultTimeout;
  }

  /**
   * Checks an action, waiting at most the client's call timeout for the answer.
   *
   * @param action the abstract permission, e.g. {@code place_order}
   * @param context what the action is done on ({@link PermissionContext#NONE} for nothing)
   * @return the decision or a denial; exceptionally an {@link IllegalArgumentException} if
   *     permission-service called the check malformed
   */
  public CompletableFuture<PermissionDecision> check(String action, PermissionContext context) {
    return check(action, context, defaultTimeout);
  }

  /** As {@link #check(String, PermissionContext)}, denied as TIMEOUT after {@code timeout}. */
  public CompletableFuture<PermissionDecision> check(
      String action, PermissionContext context, Duration timeout) {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(context, "context");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
    PermissionStream running = stream.get();
    if (running == null) {
      return CompletableFuture.completedFuture(
          undecided(NOT_RUNNING, "the client is " + state.get()));
    }
    return running.check(action, context, timeout.toNanos());
  }

  /**
   * Checks an action and waits for the answer, at most {@code timeout}: for an order path that
   * cannot go on without it.
   *
   * @return the decision, or a denial with {@link PermissionDecision#decided()} false
   * @throws IllegalArgumentException naming the fields, if permission-service called the check
   *     malformed
   */
  public PermissionDecision checkAndWait(
      String action, PermissionContext context, Duration timeout) {
    CompletableFuture<PermissionDecision> answer = check(action, context, timeout);
    try {
      return answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      answer.complete(
          undecided(TIMEOUT, "no answer from permission-service in " + timeout.toMillis() + " ms"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      answer.complete(undecided(INTERRUPTED, "interrupted while waiting for the answer"));
    } catch (ExecutionException e) {
      throw malformed(e.getCause());
    }
    try {
      return answer.join(); // whatever completed it first
    } catch (CompletionException e) {
      throw malformed(e.getCause());
    }
  }

  /** True while the check stream is open (it opens with the first check). */
  public boolean up() {
    PermissionStream running = stream.get();
    return running != null && running.up();
  }

  private static RuntimeException malformed(Throwable cause) {
    if (cause instanceof IllegalArgumentException refused) {
      // A new exception, so that the stack trace shows the caller's order path.
      return new IllegalArgumentException(refused.getMessage(), refused);
    }
    return new IllegalStateException("permission check failed", cause);
  }
}
