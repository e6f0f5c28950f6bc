package io.botfleet.fleet.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/** Where the health watch stands (one row). */
@ApplicationScoped
public class HealthWatchRepository {

  @Inject EntityManager entityManager;

  /**
   * The watch's position.
   *
   * @param afterSequence the last WatchHealth sequence applied
   * @param massSilence health-service reports a mass silence
   */
  public record Position(long afterSequence, boolean massSilence) {}

  /** The position, locked until the transaction ends (one event is applied at a time). */
  public Position lock() {
    Object[] row =
        (Object[])
            entityManager
                .createNativeQuery(
                    "select after_sequence, mass_silence from health_watch for update")
                .getSingleResult();
    return new Position(((Number) row[0]).longValue(), (Boolean) row[1]);
  }

  /** The position. */
  public Position read() {
    Object[] row =
        (Object[])
            entityManager
                .createNativeQuery("select after_sequence, mass_silence from health_watch")
                .getSingleResult();
    return new Position(((Number) row[0]).longValue(), (Boolean) row[1]);
  }

  /** Moves the position. */
  public void advance(long sequence, boolean massSilence) {
    entityManager
        .createNativeQuery(
            "update health_watch set after_sequence = :seq, mass_silence = :silence,"
                + " updated_at = now()")
        .setParameter("seq", sequence)
        .setParameter("silence", massSilence)
        .executeUpdate();
  }
}
