package io.botfleet.permission.service;

import io.botfleet.common.db.PgNotifications;
import io.botfleet.permission.config.PermissionConfig;
import io.botfleet.permission.domain.BotPolicy;
import io.botfleet.permission.domain.TierCatalog;
import io.botfleet.permission.persistence.AssignmentChanges;
import io.botfleet.permission.persistence.AssignmentEntity;
import io.botfleet.permission.persistence.AssignmentRepository;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Every bot's policy in memory, so a permission check never reads the database. Loaded at start;
 * kept current from the change log ({@code assignment_changes}): a replica's own change is applied
 * before its RPC returns ({@link #catchUp()}), another replica's arrives through NOTIFY within
 * milliseconds, and a poll catches anything a lost notification hid. One thread applies changes, in
 * revision order, each time re-reading the changed bots' current rows, so the view never goes back
 * to an older state.
 */
@ApplicationScoped
public class PermissionView {

  /** The NOTIFY channel of assignment changes. */
  static final String CHANNEL = "permission_changes";

  private static final int BATCH = 10_000;

  @Inject AssignmentRepository assignments;
  @Inject AssignmentChanges changes;
  @Inject TierService tiers;
  @Inject PgNotifications notifications;
  @Inject PermissionConfig config;

  private final Map<String, BotPolicy> policies = new ConcurrentHashMap<>();
  private final AtomicBoolean drainQueued = new AtomicBoolean();
  private final ScheduledExecutorService worker =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "permission-view");
            thread.setDaemon(true);
            return thread;
          });

  /** The last revision applied; written on the worker thread only. */
  private volatile long revision;

  private volatile boolean loaded;

  void start(@Observes StartupEvent event) throws InterruptedException, ExecutionException {
    worker.submit(this::reloadAll).get();
    notifications.listen(
        CHANNEL,
        payload -> {
          if (PgNotifications.RECONNECTED.equals(payload)) {
            // Notifications may have been missed while the listening connection was down.
            worker.execute(this::reloadAllSafely);
          } else {
            wake();
          }
        });
    long poll = config.viewPollInterval().toMillis();
    worker.scheduleWithFixedDelay(this::drainSafely, poll, poll, TimeUnit.MILLISECONDS);
  }

  void stop(@Observes ShutdownEvent event) {
    worker.shutdownNow();
  }

  /** The policy of a bot, or null if it has no permissions. */
  public BotPolicy find(String agentId) {
    return policies.get(agentId);
  }

  /** True once the view holds every assignment. */
  public boolean loaded() {
    return loaded;
  }

  /** How many bots have permissions. */
  public int size() {
    return policies.size();
  }

  /** Applies every committed change now, and waits for it (at most 10 s). */
  public void catchUp() {
    await(() -> drainSafely());
  }

  /**
   * Returns once the change at {@code committed} is applied: at once if a drain already took it
   * (one drain serves every writer that committed before it), else after a drain (at most 10 s).
   */
  public void catchUpTo(long committed) {
    if (revision < committed) {
      catchUp();
    }
  }

  /** Throws the view away and loads it again from the database, as a restart would. */
  public void reload() {
    await(this::reloadAllSafely);
  }

  /** Applies changes soon (coalesced). */
  void wake() {
    if (drainQueued.compareAndSet(false, true)) {
      worker.execute(
          () -> {
            drainQueued.set(false);
            drainSafely();
          });
    }
  }

  private void await(Runnable task) {
    try {
      worker.submit(task).get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      Log.warnf("Permission view did not catch up (%s); the poll will", e.toString());
    }
  }

  private void reloadAllSafely() {
    try {
      reloadAll();
    } catch (RuntimeException e) {
      Log.warnf(e, "Reloading the permission view failed; retrying at the next poll");
      revision = -1;
    }
  }

  private void reloadAll() {
    TierCatalog catalog = tiers.catalog();
    // Revision first, then rows: a change committed in between is in the rows and is applied
    // again from the log, which is harmless; the other order could lose it.
    long last = QuarkusTransaction.requiringNew().call(changes::lastRevision);
    List<AssignmentEntity> rows = QuarkusTransaction.requiringNew().call(assignments::listAll);
    Map<String, BotPolicy> fresh = new HashMap<>();
    for (AssignmentEntity row : rows) {
      fresh.put(row.agentId, BotPolicy.of(row.toDomain(), catalog));
    }
    policies.keySet().retainAll(fresh.keySet());
    policies.putAll(fresh);
    revision = last;
    loaded = true;
    Log.infof("Permission view loaded: %d bots at revision %d", fresh.size(), last);
  }

  private void drainSafely() {
    try {
      if (revision < 0) {
        reloadAll();
      } else {
        drain();
      }
    } catch (RuntimeException e) {
      Log.warnf(e, "Updating the permission view failed; retrying at the next poll");
    }
  }

  private void drain() {
    TierCatalog catalog = tiers.catalog();
    while (true) {
      long after = revision;
      List<AssignmentChanges.Change> batch =
          QuarkusTransaction.requiringNew().call(() -> changes.after(after, BATCH));
      if (batch.isEmpty()) {
        return;
      }
      if (batch.get(0).revision() > after + 1) {
        // A gap: changes were purged (this replica fell far behind) or a writer rolled back after
        // drawing a revision. Reloading everything is right in both cases.
        reloadAll();
        return;
      }
      Set<String> agents = new LinkedHashSet<>();
      batch.forEach(change -> agents.add(change.agentId()));
      List<AssignmentEntity> rows =
          QuarkusTransaction.requiringNew().call(() -> assignments.findAll(agents));
      Map<String, BotPolicy> updated = new HashMap<>();
      for (AssignmentEntity row : rows) {
        updated.put(row.agentId, BotPolicy.of(row.toDomain(), catalog));
      }
      for (String agent : agents) {
        BotPolicy policy = updated.get(agent);
        if (policy == null) {
          policies.remove(agent);
        } else {
          policies.put(agent, policy);
        }
      }
      revision = batch.get(batch.size() - 1).revision();
      if (batch.size() < BATCH) {
        return;
      }
    }
  }
}
