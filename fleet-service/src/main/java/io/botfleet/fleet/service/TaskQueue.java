package io.botfleet.fleet.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.botfleet.common.error.BotfleetException;
import io.botfleet.fleet.config.FleetConfig;
import io.botfleet.fleet.domain.FleetEventTypes;
import io.botfleet.fleet.persistence.TaskRepository;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Calls to identity, permission and health that must happen even if fleet-service dies or the
 * callee is down: queued in the transaction of the change that needs them, then made in order per
 * callee (a "lane") by whichever replica gets to the lane first, retried with capped exponential
 * backoff until the callee accepts them. The thread that queued a call usually makes it at once
 * ({@link #drain}); the sweep retries what failed.
 */
@ApplicationScoped
public class TaskQueue {

  /** The lanes, one per callee. */
  public static final List<String> LANES = List.of("identity", "permission", "health");

  @Inject TaskRepository tasks;
  @Inject TaskRunner runner;
  @Inject FleetConfig config;
  @Inject FleetEvents events;
  @Inject ObjectMapper json;

  /** Queues a call in the current transaction, due now. Returns its id. */
  @Transactional(Transactional.TxType.MANDATORY)
  public long enqueue(String lane, String kind, Map<String, ?> input) {
    return enqueue(lane, kind, input, Instant.now());
  }

  /** Queues a call in the current transaction, due at {@code dueAt}. Returns its id. */
  @Transactional(Transactional.TxType.MANDATORY)
  public long enqueue(String lane, String kind, Map<String, ?> input, Instant dueAt) {
    if (!LANES.contains(lane)) {
      throw new IllegalArgumentException("unknown lane " + lane);
    }
    try {
      return tasks.enqueue(lane, kind, json.writeValueAsString(input), dueAt);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("task input is not serializable", e);
    }
  }

  /** Makes the due calls of a lane, in order, until it is empty or a call fails. */
  public void drain(String lane) {
    while (QuarkusTransaction.requiringNew().call(() -> runHead(lane))) {
      // next
    }
  }

  /** Drains every lane. */
  public void drainAll() {
    LANES.forEach(this::drain);
  }

  /**
   * Waits until a call was made, draining its lane meanwhile; false if it was not made in time (it
   * stays queued and is retried).
   */
  public boolean await(String lane, long taskId, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      drain(lane);
      if (QuarkusTransaction.requiringNew().call(() -> tasks.isDone(taskId))) {
        return true;
      }
      if (Instant.now().isAfter(deadline)) {
        return false;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  /** Makes a waiting call due now (e.g. a deregistration the bot acknowledged early). */
  @Transactional
  public void dueNow(long taskId) {
    tasks.dueNow(taskId);
  }

  private boolean runHead(String lane) {
    var head = tasks.lockHead(lane);
    if (head.isEmpty() || head.get().dueAt().isAfter(Instant.now())) {
      return false;
    }
    TaskRepository.Task task = head.get();
    try {
      runner.run(task.kind(), task.input());
      tasks.done(task.id());
      return true;
    } catch (BotfleetException e) {
      boolean retry = e.kind() == BotfleetException.Kind.UNAVAILABLE;
      if (task.attempts() == 0 || !retry) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("lane", lane);
        payload.put("call", task.kind());
        payload.put("error", String.valueOf(e.getMessage()));
        payload.put("will_retry", retry);
        events.record(FleetEventTypes.CALL_FAILED, null, "system", payload);
      }
      if (retry) {
        Duration wait = backoff(task.attempts() + 1);
        Log.warnf(
            "%s %s failed (attempt %d), retrying in %d ms: %s",
            lane, task.kind(), task.attempts() + 1, wait.toMillis(), e.getMessage());
        tasks.failed(task.id(), String.valueOf(e.getMessage()), wait);
        return false;
      }
      // The callee says the call itself is wrong: retrying cannot help. Kept, with its error.
      Log.errorf("%s %s refused for good, abandoned: %s", lane, task.kind(), e.getMessage());
      tasks.abandon(task.id(), "abandoned: " + e.getMessage());
      return true;
    }
  }

  /** Capped exponential backoff with jitter in its upper half. */
  Duration backoff(int attempt) {
    long base = config.taskBackoff().toMillis();
    long cap = config.taskMaxBackoff().toMillis();
    long exponential = attempt >= 30 ? cap : Math.min(cap, base << Math.max(0, attempt - 1));
    return Duration.ofMillis(
        exponential / 2 + ThreadLocalRandom.current().nextLong(exponential / 2 + 1));
  }
}
