package io.botfleet.permission.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import org.hibernate.Session;

/**
 * The change log of assignments ({@code assignment_changes}): which bots changed, in revision
 * order. Writers append under a transaction-scoped advisory lock, so revisions commit in the order
 * they are numbered and a reader that has seen revision N has seen every change before it.
 */
@ApplicationScoped
public class AssignmentChanges {

  private static final long CHANGES_LOCK = 0x7065726d5f636867L;

  @Inject EntityManager entityManager;

  /** One change: a bot whose assignment changed (or disappeared) at a revision. */
  public record Change(long revision, String agentId) {}

  /**
   * Appends a change for each bot in the current transaction. Call it after the transaction's row
   * updates: the lock it takes is held until commit.
   *
   * @return the last revision appended (0 if none)
   */
  public long record(Collection<String> agentIds) {
    if (agentIds.isEmpty()) {
      return 0;
    }
    entityManager
        .createNativeQuery("select pg_advisory_xact_lock(:lock)")
        .setParameter("lock", CHANGES_LOCK)
        .getSingleResult();
    String[] ids = agentIds.toArray(String[]::new);
    long[] last = new long[1];
    entityManager
        .unwrap(Session.class)
        .doWork(
            connection -> {
              try (var insert =
                  connection.prepareStatement(
                      "with appended as (insert into assignment_changes (agent_id)"
                          + " select unnest(?::text[]) returning revision)"
                          + " select max(revision) from appended")) {
                insert.setArray(1, connection.createArrayOf("text", ids));
                try (var rows = insert.executeQuery()) {
                  rows.next();
                  last[0] = rows.getLong(1);
                }
              }
            });
    return last[0];
  }

  /** Changes after a revision, oldest first. */
  @SuppressWarnings("unchecked")
  public List<Change> after(long revision, int limit) {
    List<Object[]> rows =
        entityManager
            .createNativeQuery(
                "select revision, agent_id from assignment_changes where revision > :after"
                    + " order by revision limit :limit")
            .setParameter("after", revision)
            .setParameter("limit", limit)
            .getResultList();
    return rows.stream().map(r -> new Change(((Number) r[0]).longValue(), (String) r[1])).toList();
  }

  /** The last revision, 0 if none. */
  public long lastRevision() {
    return ((Number)
            entityManager
                .createNativeQuery("select coalesce(max(revision), 0) from assignment_changes")
                .getSingleResult())
        .longValue();
  }

  /** The oldest revision kept, or 0 if the log is empty. */
  public long firstRevision() {
    return ((Number)
            entityManager
                .createNativeQuery("select coalesce(min(revision), 0) from assignment_changes")
                .getSingleResult())
        .longValue();
  }

  /** Forgets changes older than {@code before}, keeping the newest so revisions stay monotonic. */
  public int purgeBefore(OffsetDateTime before) {
    return entityManager
        .createNativeQuery(
            "delete from assignment_changes where changed_at < :before"
                + " and revision < (select max(revision) from assignment_changes)")
        .setParameter("before", before)
        .executeUpdate();
  }
}
