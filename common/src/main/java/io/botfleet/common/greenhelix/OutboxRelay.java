package io.botfleet.common.greenhelix;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.botfleet.common.config.GreenHelixConfig;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Delivers the outbox. Each pass claims the oldest pending call of each agent (so calls for one
 * agent go out in order, one at a time, whichever replica runs the pass), sends them in parallel
 * with their idempotency keys, and records the outcome: delivered (and counted for billing),
 * retried later with capped exponential backoff and jitter, or rejected when GreenHelix says the
 * call itself is wrong. A claim is a short lease, so a replica that dies mid-pass delays its calls
 * by the lease and loses none.
 */
@ApplicationScoped
public class OutboxRelay {

  private static final Duration LEASE = Duration.ofSeconds(60);

  @Inject GreenHelixConfig config;
  @Inject GreenHelixClient client;
  @Inject EntityManager entityManager;
  @Inject ObjectMapper json;
  @Inject @Any Instance<OutboxAnswerHandler> answerHandlers;

  private volatile boolean running;
  private Thread loop;
  private ExecutorService senders;
  private Instant nextHousekeeping = Instant.EPOCH;

  /** A claimed call. */
  record Claimed(
      long id, String agentId, String tool, String input, UUID idempotencyKey, int attempts) {}

  /** The outcome of one delivery: GreenHelix's answer, or the failure. */
  record Outcome(Claimed call, JsonNode answer, GreenHelixException failure) {}

  void start(@Observes StartupEvent event) {
    if (!config.enabled()) {
      Log.info("GreenHelix is disabled: the outbox relay does not run");
      return;
    }
    if (config.apiKey().isEmpty()) {
      Log.warn("GreenHelix is enabled without botfleet.greenhelix.api-key: every call will fail");
    }
    running = true;
    senders = Executors.newFixedThreadPool(config.relayParallelism(), daemon("greenhelix-send"));
    loop = daemon("greenhelix-relay").newThread(this::run);
    loop.start();
  }

  void stop(@Observes ShutdownEvent event) {
    running = false;
    if (loop != null) {
      loop.interrupt();
    }
    if (senders != null) {
      senders.shutdownNow();
    }
  }

  private void run() {
    while (running) {
      try {
        int delivered = runOnce();
        if (delivered == 0) {
          Thread.sleep(config.relayInterval().toMillis());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        Log.warnf(e, "Outbox relay pass failed; retrying");
        try {
          Thread.sleep(config.relayInterval().toMillis());
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /**
   * One pass: claim, deliver, record. Returns how many calls were delivered. Public for tests that
   * drive the relay step by step.
   */
  public int runOnce() throws InterruptedException {
    housekeeping();
    List<Claimed> claimed = QuarkusTransaction.requiringNew().call(this::claim);
    if (claimed.isEmpty()) {
      return 0;
    }
    List<Future<Outcome>> sending = new ArrayList<>();
    for (Claimed call : claimed) {
      sending.add(senders().submit(() -> deliver(call)));
    }
    List<Outcome> outcomes = new ArrayList<>();
    for (Future<Outcome> future : sending) {
      try {
        outcomes.add(future.get());
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException("delivery task failed", e.getCause());
      }
    }
    QuarkusTransaction.requiringNew().run(() -> outcomes.forEach(this::record));
    return (int) outcomes.stream().filter(o -> o.failure() == null).count();
  }

  @SuppressWarnings("unchecked")
  private List<Claimed> claim() {
    Object locked =
        entityManager
            .createNativeQuery(
                "select pg_try_advisory_xact_lock(hashtext('greenhelix_outbox:' || current_schema()))")
            .getSingleResult();
    if (!Boolean.TRUE.equals(locked)) {
      return List.of();
    }
    List<Object[]> rows =
        entityManager
            .createNativeQuery(
                "update greenhelix_outbox o set lease_until = now() + cast(:lease as interval)"
                    + " where o.id in ("
                    + "   select h.id from ("
                    + "     select distinct on (agent_id) id, next_attempt_at, lease_until"
                    + "     from greenhelix_outbox where status = 'pending' order by agent_id, id"
                    + "   ) h"
                    + "   where h.next_attempt_at <= now()"
                    + "     and (h.lease_until is null or h.lease_until < now())"
                    + "   order by h.id limit :batch)"
                    + " and (o.lease_until is null or o.lease_until < now())"
                    + " returning o.id, o.agent_id, o.tool, o.input::text, o.idempotency_key, o.attempts")
            .setParameter("lease", LEASE.toSeconds() + " seconds")
            .setParameter("batch", config.relayBatch())
            .getResultList();
    return rows.stream()
        .map(
            r ->
                new Claimed(
                    ((Number) r[0]).longValue(),
                    (String) r[1],
                    (String) r[2],
                    (String) r[3],
                    (UUID) r[4],
                    ((Number) r[5]).intValue()))
        .toList();
  }

  private Outcome deliver(Claimed call) {
    try {
      Map<String, Object> input = json.readValue(call.input(), new TypeReference<>() {});
      JsonNode answer = client.call(call.tool(), input, call.idempotencyKey().toString());
      return new Outcome(call, answer, null);
    } catch (GreenHelixException e) {
      return new Outcome(call, null, e);
    } catch (Exception e) {
      return new Outcome(call, null, new GreenHelixException(0, e.getMessage()));
    }
  }

  private void record(Outcome outcome) {
    Claimed call = outcome.call();
    GreenHelixException failure = outcome.failure();
    if (failure == null) {
      entityManager
          .createNativeQuery(
              "update greenhelix_outbox set status = 'delivered', delivered_at = now(),"
                  + " lease_until = null, attempts = attempts + 1, last_error = null where id = :id")
          .setParameter("id", call.id())
          .executeUpdate();
      entityManager
          .createNativeQuery(
              "insert into greenhelix_usage (day, agent_id, tool, calls)"
                  + " values ((now() at time zone 'UTC')::date, :agent, :tool, 1)"
                  + " on conflict (day, agent_id, tool) do update set calls = greenhelix_usage.calls + 1")
          .setParameter("agent", call.agentId())
          .setParameter("tool", call.tool())
          .executeUpdate();
      handAnswer(outcome);
    } else if (failure.retryable()) {
      Duration wait = backoff(call.attempts() + 1);
      entityManager
          .createNativeQuery(
              "update greenhelix_outbox set attempts = attempts + 1, lease_until = null,"
                  + " next_attempt_at = now() + cast(:wait as interval), last_error = :error"
                  + " where id = :id")
          .setParameter("wait", wait.toMillis() + " milliseconds")
          .setParameter("error", truncate(failure.getMessage()))
          .setParameter("id", call.id())
          .executeUpdate();
      Log.debugf(
          "GreenHelix %s for %s failed (attempt %d), retry in %d ms: %s",
          call.tool(), call.agentId(), call.attempts() + 1, wait.toMillis(), failure.getMessage());
    } else {
      entityManager
          .createNativeQuery(
              "update greenhelix_outbox set status = 'rejected', attempts = attempts + 1,"
                  + " lease_until = null, last_error = :error where id = :id")
          .setParameter("error", truncate(failure.getMessage()))
          .setParameter("id", call.id())
          .executeUpdate();
      Log.errorf(
          "GreenHelix rejected %s for %s (HTTP %d); kept as rejected in the outbox: %s",
          call.tool(), call.agentId(), failure.status(), failure.getMessage());
    }
  }

  /**
   * Gives GreenHelix's answer to the handlers of its tool, in the transaction that marks the call
   * delivered: the answer is kept exactly when the delivery is. A handler that fails rolls the pass
   * back; the call is sent again after its lease with the same idempotency key, so GreenHelix
   * answers the same.
   */
  private void handAnswer(Outcome outcome) {
    for (OutboxAnswerHandler handler : answerHandlers) {
      if (handler.tool().equals(outcome.call().tool())) {
        handler.delivered(outcome.call().agentId(), outcome.answer());
      }
    }
  }

  /** Capped exponential backoff with full jitter in its upper half. */
  Duration backoff(int attempt) {
    long base = config.initialBackoff().toMillis();
    long cap = config.maxBackoff().toMillis();
    long exponential = attempt >= 30 ? cap : Math.min(cap, base << Math.max(0, attempt - 1));
    long jittered = exponential / 2 + ThreadLocalRandom.current().nextLong(exponential / 2 + 1);
    return Duration.ofMillis(Math.max(1, jittered));
  }

  private void housekeeping() {
    Instant now = Instant.now();
    if (now.isBefore(nextHousekeeping)) {
      return;
    }
    nextHousekeeping = now.plus(Duration.ofMinutes(10));
    int purged =
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    entityManager
                        .createNativeQuery(
                            "delete from greenhelix_outbox where status = 'delivered'"
                                + " and delivered_at < now() - cast(:keep as interval)")
                        .setParameter("keep", config.deliveredRetention().toSeconds() + " seconds")
                        .executeUpdate());
    if (purged > 0) {
      Log.debugf("Purged %d delivered outbox rows", purged);
    }
  }

  private ExecutorService senders() {
    if (senders == null) {
      senders = Executors.newFixedThreadPool(config.relayParallelism(), daemon("greenhelix-send"));
    }
    return senders;
  }

  private static String truncate(String message) {
    if (message == null) {
      return "";
    }
    return message.length() <= 1000 ? message : message.substring(0, 1000);
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
