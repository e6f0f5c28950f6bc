package io.botfleet.sdk;

import static io.botfleet.sdk.PermissionDecision.NOT_RUNNING;
import static io.botfleet.sdk.PermissionDecision.TIMEOUT;
import static io.botfleet.sdk.PermissionDecision.TOO_MANY_IN_FLIGHT;
import static io.botfleet.sdk.PermissionDecision.UNAVAILABLE;
import static io.botfleet.sdk.PermissionDecision.undecided;

import io.botfleet.permission.v1.CheckFieldError;
import io.botfleet.permission.v1.PermissionServiceGrpc;
import io.botfleet.permission.v1.StreamPermissionChecksRequest;
import io.botfleet.permission.v1.StreamPermissionChecksResponse;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The bot's permission check stream to permission-service ({@code StreamPermissionChecks}): signed
 * once when it opens, each check sent with its own {@code check_id} and matched to its answer by
 * it. Opened by the first check, not at start: most bots never check, and a stream nobody uses
 * would hold a slot on a shared connection. It fails closed: checks waiting when the stream ends
 * are denied at once, and a check that finds it down reopens it unless the backoff says to wait, in
 * which case it is denied at once too (an order must not wait for a reconnect it cannot see).
 */
final class PermissionStream {

  private static final System.Logger LOG = System.getLogger(PermissionStream.class.getName());

  /** A stream that answered and lived this long is reopened by the next check without waiting. */
  private static final long STABLE_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final String bot;
  private final PermissionServiceGrpc.PermissionServiceStub stub;
  private final ScheduledExecutorService scheduler;
  private final Backoff backoff;
  private final int maxInFlight;
  private final ConcurrentHashMap<Long, Check> waiting = new ConcurrentHashMap<>();

  // Guarded by this: the stream's observer is not thread-safe, so every write is made holding it.
  private Attempt current;
  private boolean closed;
  private long nextCheckId;
  private long reopenAt = System.nanoTime();
  private String lastDown = "";
  private ScheduledFuture<?> sweep;
  private long sweepAt;
  private volatile long reconnects;

  PermissionStream(
      String bot,
      PermissionServiceGrpc.PermissionServiceStub stub,
      ScheduledExecutorService scheduler,
      Backoff backoff,
      int maxInFlight) {
    this.bot = bot;
    this.stub = stub;
    this.scheduler = scheduler;
    this.backoff = backoff;
    this.maxInFlight = maxInFlight;
  }

  /**
   * Sends a check; the answer completes the future: a decision, a denial when none can be had, or
   * an {@link IllegalArgumentException} naming the fields when permission-service calls the check
   * malformed.
   */
  CompletableFuture<PermissionDecision> check(
      String action, PermissionContext context, long timeoutNanos) {
    StreamPermissionChecksRequest.Builder request =
        StreamPermissionChecksRequest.newBuilder().setAction(action).setContext(context.toProto());
    Check check;
    synchronized (this) {
      if (closed) {
        return denied(NOT_RUNNING, "the client is closed");
      }
      if (waiting.size() >= maxInFlight) {
        return denied(
            TOO_MANY_IN_FLIGHT, maxInFlight + " permission checks are waiting for their answers");
      }
      long now = System.nanoTime();
      if (current == null) {
        if (now - reopenAt < 0) {
          return denied(
              UNAVAILABLE,
              lastDown + "; reopening in " + TimeUnit.NANOSECONDS.toMillis(reopenAt - now) + " ms");
        }
        current = new Attempt(now);
        stub.streamPermissionChecks(current);
      }
      check = new Check(++nextCheckId, action, current, now, timeoutNanos);
      waiting.put(check.id, check);
      try {
        current.requests.onNext(request.setCheckId(check.id).build());
      } catch (RuntimeException e) {
        // The call ended between the open and this write; its end answers nothing more.
        waiting.remove(check.id);
        return denied(UNAVAILABLE, "permission check stream down: " + e.getMessage());
      }
      arm(check.deadline);
    }
    check.answer.whenComplete((decision, error) -> waiting.remove(check.id, check));
    return check.answer;
  }

  /** True while the stream is open. */
  synchronized boolean up() {
    return current != null;
  }

  long reconnects() {
    return reconnects;
  }

  /**
   * Ends the stream: politely (half-close) or at once, as a crash would. Checks still waiting are
   * denied as {@link PermissionDecision#NOT_RUNNING}; later ones too.
   */
  void close(boolean abrupt) {
    synchronized (this) {
      closed = true;
      if (sweep != null) {
        sweep.cancel(false);
      }
      if (current != null) {
        try {
          if (abrupt) {
            current.requests.cancel("bot aborted", null);
          } else {
            current.requests.onCompleted();
          }
        } catch (RuntimeException ignored) {
          // already closed
        }
      }
      current = null;
    }
    deny(null, NOT_RUNNING, "the client closed before permission-service answered");
  }

  private void answered(Attempt attempt, StreamPermissionChecksResponse response) {
    attempt.lastAnswerAt = System.nanoTime();
    if (!attempt.answered) {
      attempt.answered = true;
      synchronized (this) {
        backoff.reset();
      }
    }
    Check check = waiting.get(response.getCheckId());
    if (check == null || check.attempt != attempt) {
      return; // answered after its timeout
    }
    if (response.getErrorsCount() > 0) {
      check.answer.completeExceptionally(
          new IllegalArgumentException(
              "malformed permission check of "
                  + check.action
                  + ": "
                  + response.getErrorsList().stream()
                      .map(PermissionStream::describe)
                      .collect(Collectors.joining("; "))));
    } else {
      check.answer.complete(PermissionDecision.of(response.getResult()));
    }
  }

  private void ended(Attempt attempt, Status status) {
    String reason = "permission check stream down: " + HeartbeatStream.describe(status);
    synchronized (this) {
      if (attempt != current) {
        return;
      }
      current = null;
      lastDown = reason;
      long now = System.nanoTime();
      // A stream that worked is reopened by the next check at once; one that never did waits for
      // the backoff, so that checks in a tight loop cannot hammer a service that refuses them.
      boolean worked = attempt.answered && now - attempt.openedAt >= STABLE_NANOS;
      long delay = worked ? 0 : backoff.nextDelayMillis();
      reopenAt = now + TimeUnit.MILLISECONDS.toNanos(delay);
      reconnects++;
      LOG.log(
          backoff.attempts() <= 1 ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG,
          "{0}: {1}; the next check reopens it after {2} ms",
          bot,
          reason,
          delay);
    }
    deny(attempt, UNAVAILABLE, reason);
  }

  /**
   * Times out the checks whose deadline passed; a stream silent since such a check is restarted.
   */
  private void sweep() {
    long now = System.nanoTime();
    List<Check> expired = new ArrayList<>();
    Check silentSince = null;
    synchronized (this) {
      sweep = null;
      long next = Long.MAX_VALUE;
      for (Check check : waiting.values()) {
        if (check.deadline - now <= 0) {
          expired.add(check);
          Attempt attempt = check.attempt;
          if (attempt == current
              && (!attempt.answered || attempt.lastAnswerAt - check.sentAt < 0)) {
            silentSince = check;
          }
        } else if (next == Long.MAX_VALUE || check.deadline - next < 0) {
          next = check.deadline;
        }
      }
      if (next != Long.MAX_VALUE) {
        arm(next);
      }
    }
    // Timed out first, so that the restart below denies as unavailable only the checks still in
    // time.
    for (Check check : expired) {
      check.answer.complete(
          undecided(
              TIMEOUT, "no answer from permission-service in " + check.timeoutMillis() + " ms"));
    }
    if (silentSince != null) {
      synchronized (this) {
        if (silentSince.attempt == current) {
          // Nothing came back since this check was sent: a dead connection nobody closed.
          current.requests.cancel(
              "no answer to permission check "
                  + silentSince.id
                  + " for "
                  + silentSince.timeoutMillis()
                  + " ms",
              null);
        }
      }
    }
  }

  private void arm(long deadline) {
    if (sweep != null && sweepAt - deadline <= 0) {
      return;
    }
    if (sweep != null) {
      sweep.cancel(false);
    }
    sweepAt = deadline;
    sweep =
        scheduler.schedule(
            this::sweep, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
  }

  /** Denies the waiting checks of one attempt (null: all), outside the lock. */
  private void deny(Attempt attempt, String rule, String reason) {
    PermissionDecision denial = undecided(rule, reason);
    for (Check check : waiting.values()) {
      if (attempt == null || check.attempt == attempt) {
        check.answer.complete(denial);
      }
    }
  }

  private static CompletableFuture<PermissionDecision> denied(String rule, String reason) {
    return CompletableFuture.completedFuture(undecided(rule, reason));
  }

  private static String describe(CheckFieldError error) {
    return error.getField() + ": " + error.getDescription();
  }

  /** A check waiting for its answer. */
  private static final class Check {
    final long id;
    final String action;
    final Attempt attempt;
    final long sentAt;
    final long deadline;
    final CompletableFuture<PermissionDecision> answer = new CompletableFuture<>();

    Check(long id, String action, Attempt attempt, long sentAt, long timeoutNanos) {
      this.id = id;
      this.action = action;
      this.attempt = attempt;
      this.sentAt = sentAt;
      this.deadline = sentAt + timeoutNanos;
    }

    long timeoutMillis() {
      return TimeUnit.NANOSECONDS.toMillis(deadline - sentAt);
    }
  }

  /** One opening of the stream. */
  private final class Attempt
      extends StreamAttempt<StreamPermissionChecksRequest, StreamPermissionChecksResponse> {
    final long openedAt;
    volatile boolean answered;
    volatile long lastAnswerAt;

    Attempt(long openedAt) {
      super("permission-service");
      this.openedAt = openedAt;
    }

    @Override
    public void onNext(StreamPermissionChecksResponse response) {
      answered(this, response);
    }

    @Override
    void streamEnded(Status status) {
      ended(this, status);
    }
  }
}
