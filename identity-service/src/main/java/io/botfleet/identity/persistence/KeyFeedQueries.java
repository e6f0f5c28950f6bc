package io.botfleet.identity.persistence;

import io.botfleet.identity.domain.FeedKey;
import io.botfleet.identity.domain.KeyChange;
import io.botfleet.identity.domain.KeyStatus;
import io.botfleet.identity.domain.Kind;
import io.botfleet.identity.domain.OperatorRole;
import io.botfleet.signing.VerifyingKey;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.List;

/**
 * The key feed's reads and writes: key changes are appended under a transaction-scoped advisory
 * lock, so revisions commit in the order they are numbered and a reader that saw revision N has
 * seen every change before it.
 */
@ApplicationScoped
public class KeyFeedQueries {

  private static final long KEY_CHANGES_LOCK = 0x6b65795f6665656dL;

  @Inject EntityManager entityManager;

  /** Appends a key change in the current transaction; returns its revision. */
  public long recordUpsert(String agentId, int keyVersion) {
    return record(agentId, keyVersion, "UPSERTED");
  }

  /** Appends a revocation in the current transaction; returns its revision. */
  public long recordRevocation(String agentId) {
    return record(agentId, null, "REVOKED");
  }

  private long record(String agentId, Integer keyVersion, String change) {
    entityManager
        .createNativeQuery("select pg_advisory_xact_lock(:lock)")
        .setParameter("lock", KEY_CHANGES_LOCK)
        .getSingleResult();
    Object revision =
        entityManager
            .createNativeQuery(
                "insert into key_changes (agent_id, key_version, change)"
                    + " values (:agent, :version, :change) returning revision")
            .setParameter("agent", agentId)
            .setParameter("version", keyVersion)
            .setParameter("change", change)
            .getSingleResult();
    return ((Number) revision).longValue();
  }

  /** The last revision (0 if none). */
  public long lastRevision() {
    Object max =
        entityManager
            .createNativeQuery("select coalesce(max(revision), 0) from key_changes")
            .getSingleResult();
    return ((Number) max).longValue();
  }

  /** Every key that accepts requests, of every active identity. */
  @SuppressWarnings("unchecked")
  public List<FeedKey> keysAcceptingRequests() {
    List<Object[]> rows =
        entityManager
            .createNativeQuery(
                "select i.id, i.kind, i.operator_role, i.name, k.key_version, k.public_key,"
                    + " k.status from identities i"
                    + " join identity_keys k on k.agent_id = i.id"
                    + " where i.status = 'ACTIVE' and k.status in ('CURRENT', 'NEXT')"
                    + " order by i.id, k.key_version")
            .getResultList();
    return rows.stream().map(KeyFeedQueries::toFeedKey).toList();
  }

  /** Changes after a revision, oldest first, with each key as it is now. */
  @SuppressWarnings("unchecked")
  public List<KeyChange> changesAfter(long revision, int limit) {
    List<Object[]> rows =
        entityManager
            .createNativeQuery(
                "select c.revision, c.agent_id, c.change, i.id, i.kind, i.operator_role, i.name,"
                    + " k.key_version, k.public_key, k.status"
                    + " from key_changes c"
                    + " left join identities i on i.id = c.agent_id"
                    + " left join identity_keys k on k.agent_id = c.agent_id and k.key_version = c.key_version"
                    + " where c.revision > :after order by c.revision limit :limit")
            .setParameter("after", revision)
            .setParameter("limit", limit)
            .getResultList();
    return rows.stream()
        .map(
            r -> {
              long rev = ((Number) r[0]).longValue();
              String agent = (String) r[1];
              boolean revoked = "REVOKED".equals(r[2]);
              FeedKey key =
                  revoked || r[7] == null
                      ? null
                      : toFeedKey(new Object[] {r[3], r[4], r[5], r[6], r[7], r[8], r[9]});
              return new KeyChange(rev, agent, revoked, key);
            })
        .toList();
  }

  private static FeedKey toFeedKey(Object[] r) {
    return new FeedKey(
        (String) r[0],
        Kind.valueOf((String) r[1]),
        r[2] == null ? null : OperatorRole.valueOf((String) r[2]),
        (String) r[3],
        ((Number) r[4]).intValue(),
        VerifyingKey.fromRaw((byte[]) r[5]),
        KeyStatus.valueOf((String) r[6]));
  }
}
