package io.botfleet.fleet.service;

import io.botfleet.common.events.AuditLog;
import io.botfleet.fleet.persistence.EventRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/**
 * fleet-service's event log read forwards, for followers such as the REST gateway's event stream
 * (each read in its own short transaction: followers run on scheduler threads).
 */
@ApplicationScoped
public class EventFeedService {

  /** Most events one read returns; a follower behind reads again at once. */
  public static final int BATCH = 500;

  @Inject EventRepository events;

  /** Events after {@code seq}, oldest first, at most {@link #BATCH}. */
  public List<AuditLog.Row> after(long seq) {
    return QuarkusTransaction.requiringNew().call(() -> events.after(seq, BATCH));
  }

  /** The newest event's sequence (0 if there is none): where a new follower starts. */
  public long lastSeq() {
    return QuarkusTransaction.requiringNew().call(events::lastSeq);
  }
}
