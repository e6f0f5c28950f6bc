package io.botfleet.permission.service;

import io.botfleet.common.events.EventLog;
import io.botfleet.permission.config.PermissionConfig;
import io.botfleet.permission.persistence.AssignmentChanges;
import io.botfleet.permission.persistence.AssignmentEntity;
import io.botfleet.permission.persistence.AssignmentRepository;
import io.botfleet.permission.persistence.EscalationEntity;
import io.botfleet.permission.persistence.EscalationRepository;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The escalations' clock, persisted so it survives restarts: pending requests past their approval
 * deadline expire, approved escalations past their duration end and the base tier comes back. One
 * replica sweeps at a time (a transaction-scoped advisory lock; the others skip the round). Also
 * purges the change log and old request ids.
 */
@ApplicationScoped
public class EscalationSweeper {

  private static final int BATCH = 500;

  @Inject EscalationRepository escalations;
  @Inject AssignmentRepository assignments;
  @Inject AssignmentChanges changeLog;
  @Inject EscalationService escalationService;
  @Inject PermissionChanges changes;
  @Inject EscalationEvents escalationEvents;
  @Inject PermissionConfig config;

  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "escalation-sweeper");
            thread.setDaemon(true);
            return thread;
          });

  /** What a sweep did. */
  public record Swept(boolean ran, int expiredRequests, int endedEscalations) {}

  void start(@Observes StartupEvent event) {
    long interval = config.sweepInterval().toMillis();
    // At once after a restart: whatever fell due while the service was down is handled first.
    scheduler.scheduleWithFixedDelay(this::sweepSafely, 0, interval, TimeUnit.MILLISECONDS);
  }

  void stop(@Observes ShutdownEvent event) {
    scheduler.shutdownNow();
  }

  private void sweepSafely() {
    try {
      Swept swept = sweep(Instant.now());
      if (swept.expiredRequests() + swept.endedEscalations() > 0) {
        Log.infof(
            "Escalations: %d requests expired, %d escalations ended",
            swept.expiredRequests(), swept.endedEscalations());
      }
    } catch (RuntimeException e) {
      Log.warnf(e, "Escalation sweep failed; retrying at the next round");
    }
  }

  /** Expires and ends what is due at {@code now}, unless another replica is sweeping. */
  @Transactional
  public Swept sweep(Instant instant) {
    if (!escalations.tryLockSweep()) {
      return new Swept(false, 0, 0);
    }
    OffsetDateTime now = instant.atOffset(ZoneOffset.UTC);
    int expired = 0;
    for (EscalationEntity escalation : escalations.pendingPastDeadline(now, BATCH)) {
      EscalationService.close(escalation, now, "no decision before the approval deadline");
      escalationEvents.expired(escalation.toDomain(), now.toInstant());
      expired++;
    }
    List<String> ended = new ArrayList<>();
    for (EscalationEntity escalation : escalations.activePastEnd(now, BATCH)) {
      AssignmentEntity row = assignments.findForUpdate(escalation.agentId).orElse(null);
      if (row != null && escalation.id.equals(row.escalationId)) {
        escalationService.end(row, now, EventLog.SYSTEM, "duration ended");
        ended.add(row.agentId);
      } else {
        escalations.findForUpdate(escalation.id).ifPresent(e -> closeOrphan(e, now));
      }
    }
    changes.changed(ended);
    changeLog.purgeBefore(now.minus(config.changeRetention()));
    escalations.purgeRequestIdsBefore(now.minus(config.requestIdRetention()));
    return new Swept(true, expired, ended.size());
  }

  private static void closeOrphan(EscalationEntity escalation, OffsetDateTime now) {
    // Its bot was reassigned or removed without closing it (should not happen): close it quietly.
    EscalationService.close(escalation, now, "duration ended");
  }
}
