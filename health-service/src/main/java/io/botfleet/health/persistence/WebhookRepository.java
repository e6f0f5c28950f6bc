package io.botfleet.health.persistence;

import io.botfleet.health.domain.PagePosition;
import io.botfleet.health.domain.Webhook;
import io.botfleet.health.domain.WebhookDelivery;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Webhooks and their delivery log ({@code webhooks}, {@code webhook_deliveries}). */
@ApplicationScoped
public class WebhookRepository {

  /**
   * A delivery claimed for an attempt.
   *
   * @param id the delivery (webhook-id header)
   * @param webhookId the webhook
   * @param url where to POST
   * @param secret the signing secret
   * @param payload the JSON body
   * @param attempts attempts before this one
   */
  public record Claimed(
      UUID id, UUID webhookId, String url, String secret, String payload, int attempts) {}

  @Inject EntityManager entityManager;

  /** Every webhook's event types. */
  @Transactional
  @SuppressWarnings("unchecked")
  public Map<UUID, List<String>> eventTypes() {
    List<Object[]> rows =
        entityManager.createNativeQuery("select id, event_types from webhooks").getResultList();
    Map<UUID, List<String>> types = new HashMap<>();
    for (Object[] row : rows) {
      types.put((UUID) row[0], BotRepository.strings(row[1]));
    }
    return types;
  }

  /** Stores a new webhook. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void create(Webhook webhook, String secret) {
    entityManager
        .createNativeQuery(
            "insert into webhooks (id, url, event_types, secret, created_at, created_by)"
                + " values (:id, :url, cast(:types as text[]), :secret, :at, :by)")
        .setParameter("id", webhook.id())
        .setParameter("url", webhook.url())
        .setParameter("types", "{" + String.join(",", webhook.eventTypes()) + "}")
        .setParameter("secret", secret)
        .setParameter("at", utc(webhook.createdAt()))
        .setParameter("by", webhook.createdBy())
        .executeUpdate();
  }

  /** Every webhook with its delivery counts, oldest first. */
  @Transactional
  @SuppressWarnings("unchecked")
  public List<Webhook> list() {
    List<Object[]> rows =
        entityManager
            .createNativeQuery(
                "select w.id, w.url, w.event_types, w.created_at, w.created_by, w.delivered_count,"
                    + " w.failed_count, (select count(*) from webhook_deliveries d"
                    + " where d.webhook_id = w.id and d.state = 'pending')"
                    + " from webhooks w order by w.created_at, w.id")
            .getResultList();
    return rows.stream()
        .map(
            r ->
                new Webhook(
                    (UUID) r[0],
                    (String) r[1],
                    BotRepository.strings(r[2]),
                    BotRepository.instant(r[3]),
                    (String) r[4],
                    ((Number) r[5]).longValue(),
                    ((Number) r[6]).longValue(),
                    ((Number) r[7]).longValue()))
        .toList();
  }

  /** Deletes a webhook and its deliveries; false if it did not exist. */
  @Transactional(Transactional.TxType.MANDATORY)
  public boolean delete(UUID id) {
    return entityManager
            .createNativeQuery("delete from webhooks where id = :id")
            .setParameter("id", id)
            .executeUpdate()
        > 0;
  }

  /** True if the webhook exists. */
  @Transactional
  public boolean exists(UUID id) {
    return !entityManager
        .createNativeQuery("select 1 from webhooks where id = :id")
        .setParameter("id", id)
        .getResultList()
        .isEmpty();
  }

  /** A page of a webhook's delivery log, newest first, after a position (null: first page). */
  @Transactional
  @SuppressWarnings("unchecked")
  public List<WebhookDelivery> deliveries(UUID webhookId, Optional<PagePosition> after, int limit) {
    String sql =
        "select id, webhook_id, event_type, attempts, last_status_code, coalesce(last_error, ''),"
            + " state, created_at, next_attempt_at, ended_at from webhook_deliveries"
            + " where webhook_id = :webhook"
            + (after.isPresent() ? " and (created_at, id) < (:afterAt, :afterId)" : "")
            + " order by created_at desc, id desc limit :limit";
    var query =
        entityManager
            .createNativeQuery(sql)
            .setParameter("webhook", webhookId)
            .setParameter("limit", limit);
    after.ifPresent(
        p -> query.setParameter("afterAt", utc(p.time())).setParameter("afterId", p.id()));
    List<Object[]> rows = query.getResultList();
    return rows.stream()
        .map(
            r ->
                new WebhookDelivery(
                    (UUID) r[0],
                    (UUID) r[1],
                    (String) r[2],
                    ((Number) r[3]).intValue(),
                    ((Number) r[4]).intValue(),
                    (String) r[5],
                    (String) r[6],
                    BotRepository.instant(r[7]),
                    BotRepository.instant(r[8]),
                    BotRepository.instant(r[9])))
        .toList();
  }

  /**
   * Claims up to {@code limit} due deliveries for an attempt, with a lease: replicas never send the
   * same delivery at once, and a replica that dies mid-attempt delays it by the lease only.
   */
  @Transactional
  @SuppressWarnings("unchecked")
  public List<Claimed> claimDue(int limit, Duration lease) {
    List<Object[]> rows =
        entityManager
            .createNativeQuery(
                "update webhook_deliveries d set lease_until = now() + cast(:lease as interval)"
                    + " from webhooks w where w.id = d.webhook_id and d.id in ("
                    + "   select id from webhook_deliveries where state = 'pending'"
                    + "   and next_attempt_at <= now()"
                    + "   and (lease_until is null or lease_until < now())"
                    + "   order by next_attempt_at limit :limit for update skip locked)"
                    + " returning d.id, d.webhook_id, w.url, w.secret, d.payload::text, d.attempts")
            .setParameter("lease", lease.toSeconds() + " seconds")
            .setParameter("limit", limit)
            .getResultList();
    return rows.stream()
        .map(
            r ->
                new Claimed(
                    (UUID) r[0],
                    (UUID) r[1],
                    (String) r[2],
                    (String) r[3],
                    (String) r[4],
                    ((Number) r[5]).intValue()))
        .toList();
  }

  /** Records a delivered attempt. */
  @Transactional
  public void delivered(UUID id, UUID webhookId, int status) {
    int changed =
        entityManager
            .createNativeQuery(
                "update webhook_deliveries set state = 'delivered', attempts = attempts + 1,"
                    + " last_status_code = :status, last_error = null, lease_until = null,"
                    + " ended_at = now() where id = :id and state = 'pending'")
            .setParameter("status", status)
            .setParameter("id", id)
            .executeUpdate();
    if (changed > 0) {
      entityManager
          .createNativeQuery(
              "update webhooks set delivered_count = delivered_count + 1 where id = :id")
          .setParameter("id", webhookId)
          .executeUpdate();
    }
  }

  /**
   * Records a failed attempt: retried at {@code retryAt}, or given up when {@code retryAt} is
   * empty.
   */
  @Transactional
  public void failed(UUID id, UUID webhookId, int status, String error, Optional<Instant> retryAt) {
    if (retryAt.isPresent()) {
      entityManager
          .createNativeQuery(
              "update webhook_deliveries set attempts = attempts + 1, last_status_code = :status,"
                  + " last_error = :error, lease_until = null, next_attempt_at = :next"
                  + " where id = :id and state = 'pending'")
          .setParameter("status", status)
          .setParameter("error", error)
          .setParameter("next", utc(retryAt.get()))
          .setParameter("id", id)
          .executeUpdate();
      return;
    }
    int changed =
        entityManager
            .createNativeQuery(
                "update webhook_deliveries set state = 'failed', attempts = attempts + 1,"
                    + " last_status_code = :status, last_error = :error, lease_until = null,"
                    + " ended_at = now() where id = :id and state = 'pending'")
            .setParameter("status", status)
            .setParameter("error", error)
            .setParameter("id", id)
            .executeUpdate();
    if (changed > 0) {
      entityManager
          .createNativeQuery("update webhooks set failed_count = failed_count + 1 where id = :id")
          .setParameter("id", webhookId)
          .executeUpdate();
    }
  }

  /** Drops finished deliveries older than {@code keep}. */
  @Transactional
  public int purge(Duration keep) {
    return entityManager
        .createNativeQuery(
            "delete from webhook_deliveries where state <> 'pending'"
                + " and ended_at < now() - cast(:keep as interval)")
        .setParameter("keep", keep.toSeconds() + " seconds")
        .executeUpdate();
  }

  private static OffsetDateTime utc(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
