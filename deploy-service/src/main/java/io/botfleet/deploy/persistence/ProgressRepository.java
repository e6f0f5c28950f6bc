package io.botfleet.deploy.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

/** The progress lines of deployments (what WatchDeployment streams). */
@ApplicationScoped
public class ProgressRepository {

  /**
   * One line.
   *
   * @param seq its position (increasing)
   * @param message what happened
   * @param time when
   */
  public record Line(long seq, String message, Instant time) {}

  @Inject EntityManager entityManager;

  /** Appends a line in the current transaction. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void append(String deploymentId, String message) {
    entityManager
        .createNativeQuery(
            "insert into deployment_progress (deployment_id, message) values (:id, :message)")
        .setParameter("id", deploymentId)
        .setParameter("message", message)
        .executeUpdate();
  }

  /** The lines after {@code afterSeq}, oldest first. */
  @SuppressWarnings("unchecked")
  public List<Line> after(String deploymentId, long afterSeq) {
    List<Object[]> rows =
        entityManager
            .createNativeQuery(
                "select seq, message, created_at from deployment_progress"
                    + " where deployment_id = :id and seq > :after order by seq")
            .setParameter("id", deploymentId)
            .setParameter("after", afterSeq)
            .getResultList();
    return rows.stream()
        .map(
            r ->
                new Line(
                    ((Number) r[0]).longValue(),
                    (String) r[1],
                    r[2] instanceof OffsetDateTime odt
                        ? odt.toInstant()
                        : r[2] instanceof Instant i ? i : ((java.sql.Timestamp) r[2]).toInstant()))
        .toList();
  }

  /** The last line's position, 0 if none. */
  public long lastSeq(String deploymentId) {
    Object last =
        entityManager
            .createNativeQuery(
                "select coalesce(max(seq), 0) from deployment_progress where deployment_id = :id")
            .setParameter("id", deploymentId)
            .getSingleResult();
    return ((Number) last).longValue();
  }
}
