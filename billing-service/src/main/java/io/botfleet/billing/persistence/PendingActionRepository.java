package io.botfleet.billing.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Pauses billing decided and fleet-service has not yet accepted. Written with the alert that
 * decided them, claimed with a short lease by whichever replica retries them, so none is lost when
 * fleet-service or a replica is down.
 */
@ApplicationScoped
public class PendingActionRepository {

  private static final Duration LEASE = Duration.ofSeconds(60);

  @Inject EntityManager entityManager;

  /**
   * A claimed pause.
   *
   * @param id its id
   * @param botId the bot to pause
   * @param alertId the alert that decided it
   * @param reason the reason fleet-service records
   * @param requestId the idempotency key of the PauseBots call, the same on every attempt
   * @param attempts attempts so far
   */
  public record Action(
      UUID id, String botId, UUID alertId, String reason, String requestId, int attempts) {}

  /** Queues a pause of a bot, decided by an alert. */
  public void queuePause(UUID id, String botId, UUID alertId, String reason) {
    entityManager
        .createNativeQuery(
            "insert into pending_actions (id, kind, bot_id, alert_id, reason, request_id)"
                + " values (:id, 'PAUSE_BOT', :bot, :alert, :reason, :request)")
        .setParameter("id", id)
        .setParameter("bot", botId)
        .setParameter("alert", alertId)
        .setParameter("reason", reason)
        .setParameter("request", "billing-budget-pause-" + alertId)
        .executeUpdate();
  }

  /** Claims up to {@code limit} due actions (of one bot when {@code botId} is not empty). */
  @SuppressWarnings("unchecked")
  public List<Action> claimDue(int limit, String botId) {
    var query =
        entityManager
            .createNativeQuery(
                "update pending_actions set lease_until = now() + cast(:lease as interval)"
                    + " where id in (select id from pending_actions where status = 'PENDING'"
                    + " and next_attempt_at <= now()"
                    + " and (lease_until is null or lease_until < now())"
                    + (botId.isEmpty() ? "" : " and bot_id = :bot")
                    + " order by created_at limit :limit for update skip locked)"
                    + " returning id, bot_id, alert_id, reason, request_id, attempts")
            .setParameter("lease", LEASE.toSeconds() + " seconds")
            .setParameter("limit", limit);
    if (!botId.isEmpty()) {
      query.setParameter("bot", botId);
    }
    List<Object[]> rows = query.getResultList();
    return rows.stream()
        .map(
            r ->
                new Action(
                    (UUID) r[0],
                    (String) r[1],
                    (UUID) r[2],
                    (String) r[3],
                    (String) r[4],
                    ((Number) r[5]).intValue()))
        .toList();
  }

  /** The callee accepted it. */
  public void done(UUID id, String result) {
    entityManager
        .createNativeQuery(
            "update pending_actions set status = 'DONE', done_at = now(), lease_until = null,"
                + " attempts = attempts + 1, result = :result, last_error = null where id = :id")
        .setParameter("result", result)
        .setParameter("id", id)
        .executeUpdate();
  }

  /** The callee was unreachable: try again after {@code wait}. */
  public void retryLater(UUID id, Duration wait, String error) {
    entityManager
        .createNativeQuery(
            "update pending_actions set attempts = attempts + 1, lease_until = null,"
                + " next_attempt_at = now() + cast(:wait as interval), last_error = :error"
                + " where id = :id")
        .setParameter("wait", wait.toMillis() + " milliseconds")
        .setParameter("error", error)
        .setParameter("id", id)
        .executeUpdate();
  }

  /** The callee refused it for good. */
  public void failed(UUID id, String error) {
    entityManager
        .createNativeQuery(
            "update pending_actions set status = 'FAILED', done_at = now(), lease_until = null,"
                + " attempts = attempts + 1, last_error = :error where id = :id")
        .setParameter("error", error)
        .setParameter("id", id)
        .executeUpdate();
  }

  /** Status of the action an alert decided ("PENDING", "DONE", "FAILED"), if any. */
  @SuppressWarnings("unchecked")
  public List<String> statusOfAlert(UUID alertId) {
    return entityManager
        .createNativeQuery("select status from pending_actions where alert_id = :alert")
        .setParameter("alert", alertId)
        .getResultList();
  }
}
