package io.botfleet.fleet.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/** The queue of calls to other services (table {@code fleet_tasks}). */
@ApplicationScoped
public class TaskRepository {

  @Inject EntityManager entityManager;

  /**
   * A queued call.
   *
   * @param id its id (order within its lane)
   * @param lane the callee
   * @param kind what to call
   * @param input its input, JSON
   * @param dueAt not before
   * @param attempts attempts so far
   */
  public record Task(
      long id, String lane, String kind, String input, Instant dueAt, int attempts) {}

  /** Queues a call in the current transaction; returns its id. */
  public long enqueue(String lane, String kind, String inputJson, Instant dueAt) {
    return ((Number)
            entityManager
                .createNativeQuery(
                    "insert into fleet_tasks (lane, kind, input, due_at)"
                        + " values (:lane, :kind, cast(:input as jsonb), :due) returning id")
                .setParameter("lane", lane)
                .setParameter("kind", kind)
                .setParameter("input", inputJson)
                .setParameter("due", dueAt.atOffset(ZoneOffset.UTC))
                .getSingleResult())
        .longValue();
  }

  /**
   * Takes the lane for the rest of the transaction, if no other thread or replica has it, and
   * returns the oldest open call of the lane: calls of one lane are made strictly in order, so a
   * resume never overtakes the pause before it.
   */
  public Optional<Task> lockHead(String lane) {
    Object locked =
        entityManager
            .createNativeQuery(
                "select pg_try_advisory_xact_lock(hashtext('fleet_tasks:' || :lane))")
            .setParameter("lane", lane)
            .getSingleResult();
    if (!Boolean.TRUE.equals(locked)) {
      return Optional.empty();
    }
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        entityManager
            .createNativeQuery(
                "select id, lane, kind, input::text, due_at, attempts from fleet_tasks"
                    + " where lane = :lane and done_at is null order by id limit 1")
            .setParameter("lane", lane)
            .getResultList();
    return rows.stream()
        .findFirst()
        .map(
            r ->
                new Task(
                    ((Number) r[0]).longValue(),
                    (String) r[1],
                    (String) r[2],
                    (String) r[3],
                    toInstant(r[4]),
                    ((Number) r[5]).intValue()));
  }

  /** Marks a call done. */
  public void done(long id) {
    entityManager
        .createNativeQuery(
            "update fleet_tasks set done_at = now(), attempts = attempts + 1, last_error = null"
                + " where id = :id")
        .setParameter("id", id)
        .executeUpdate();
  }

  /** Records a failed attempt; the call is retried after {@code wait}. */
  public void failed(long id, String error, Duration wait) {
    entityManager
        .createNativeQuery(
            "update fleet_tasks set attempts = attempts + 1, last_error = :error,"
                + " due_at = now() + cast(:wait as interval) where id = :id")
        .setParameter("error", error.length() > 1000 ? error.substring(0, 1000) : error)
        .setParameter("wait", wait.toMillis() + " milliseconds")
        .setParameter("id", id)
        .executeUpdate();
  }

  /** Gives a call up for good (the callee refused it), keeping why. */
  public void abandon(long id, String error) {
    entityManager
        .createNativeQuery(
            "update fleet_tasks set done_at = now(), attempts = attempts + 1,"
                + " last_error = :error where id = :id")
        .setParameter("error", error.length() > 1000 ? error.substring(0, 1000) : error)
        .setParameter("id", id)
        .executeUpdate();
  }

  /** Makes a waiting call due now. */
  public void dueNow(long id) {
    entityManager
        .createNativeQuery(
            "update fleet_tasks set due_at = least(due_at, now()) where id = :id and done_at is null")
        .setParameter("id", id)
        .executeUpdate();
  }

  /** True once the call was made. */
  public boolean isDone(long id) {
    return !entityManager
        .createNativeQuery("select 1 from fleet_tasks where id = :id and done_at is not null")
        .setParameter("id", id)
        .getResultList()
        .isEmpty();
  }

  /** Drops finished calls older than a week. */
  public int purge() {
    return entityManager
        .createNativeQuery("delete from fleet_tasks where done_at < now() - interval '7 days'")
        .executeUpdate();
  }

  static Instant toInstant(Object value) {
    if (value instanceof Instant i) {
      return i;
    }
    if (value instanceof OffsetDateTime o) {
      return o.toInstant();
    }
    if (value instanceof java.sql.Timestamp t) {
      return t.toInstant();
    }
    throw new IllegalStateException("not a time: " + value);
  }
}
