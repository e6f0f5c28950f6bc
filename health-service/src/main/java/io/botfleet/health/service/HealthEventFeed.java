package io.botfleet.health.service;

import io.botfleet.common.db.PgNotifications;
import io.botfleet.health.domain.BotState;
import io.botfleet.health.domain.HealthEvent;
import io.botfleet.health.domain.HealthEventType;
import io.botfleet.health.persistence.BotRepository;
import io.botfleet.health.persistence.HealthEventRepository;
import io.botfleet.health.persistence.HealthEventRepository.Sequenced;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Follows the health event log: applies the events other replicas committed to this replica's bot
 * states, and serves WatchHealth subscribers from it, each from its own position (so a reconnecting
 * watcher resumes after the last sequence it saw, and a slow one is never sent more than its stream
 * takes). It reads the log when this replica commits events, when NOTIFY says another one did, and
 * every second in case a notification was lost. One thread does all of it, so a subscriber never
 * sees events out of order.
 */
@ApplicationScoped
public class HealthEventFeed {

  private static final int PAGE = 1000;

  @Inject HealthEventRepository events;
  @Inject BotRepository bots;
  @Inject BotRegistry registry;
  @Inject PgNotifications notifications;

  private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService worker =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "health-event-feed");
            thread.setDaemon(true);
            return thread;
          });
  private long applied;

  /**
   * A subscription.
   *
   * @param watcher where events go
   * @param types only these types (empty: all)
   * @param group only this group ("" for all)
   */
  private static final class Subscriber {
    final HealthWatcher watcher;
    final Set<HealthEventType> types;
    final String group;
    long lastSent;

    Subscriber(HealthWatcher watcher, Set<HealthEventType> types, String group, long lastSent) {
      this.watcher = watcher;
      this.types = types;
      this.group = group;
      this.lastSent = lastSent;
    }

    boolean wants(HealthEvent event) {
      return (types.isEmpty() || types.contains(event.type()))
          && (group.isEmpty() || group.equals(event.group()));
    }
  }

  void start() {
    applied = events.lastSequence();
    notifications.listen("health_events", payload -> wake());
    worker.scheduleWithFixedDelay(this::drainSafely, 1, 1, TimeUnit.SECONDS);
  }

  void stop(@Observes ShutdownEvent event) {
    worker.shutdownNow();
  }

  /** The writer committed these events (this replica's, already applied to its states). */
  void committed(List<HealthEvent> committed, long[] sequences) {
    if (committed.isEmpty()) {
      return;
    }
    wake();
  }

  /** Reads the log now rather than at the next tick. */
  public void wake() {
    worker.execute(this::drainSafely);
  }

  /**
   * Subscribes after {@code afterSequence}. 0, or a position the log no longer holds (or never
   * held), starts with the current status of every bot (one STATUS_CHANGED each, carrying the
   * sequence the snapshot is current at) and continues from there.
   */
  public void subscribe(
      long afterSequence, Set<HealthEventType> types, String group, HealthWatcher watcher) {
    worker.execute(
        () -> {
          try {
            long last = events.lastSequence();
            long first = events.firstSequence();
            long from = afterSequence;
            boolean resumable =
                afterSequence > 0 && afterSequence <= last && afterSequence >= first - 1;
            if (!resumable) {
              from = last;
              Subscriber snapshotFilter = new Subscriber(watcher, types, group, last);
              for (BotRepository.StoredBot stored : bots.tracked()) {
                HealthEvent current =
                    new HealthEvent(
                        HealthEventType.STATUS_CHANGED,
                        stored.bot().botId(),
                        stored.bot().name(),
                        stored.bot().group(),
                        null,
                        stored.state().status(),
                        stored.state().issues().stream().map(i -> i.text()).toList(),
                        stored.state().latest() == null ? null : stored.state().latest().version(),
                        "current status",
                        stored.state().statusSince(),
                        stored.state().lastHeartbeatAt(),
                        null,
                        Map.of());
                if (snapshotFilter.wants(current)) {
                  watcher.send(last, current);
                }
              }
            }
            subscribers.add(new Subscriber(watcher, types, group, from));
            drain();
          } catch (RuntimeException e) {
            Log.warnf(e, "WatchHealth subscription failed");
          }
        });
  }

  private void drainSafely() {
    try {
      drain();
    } catch (RuntimeException e) {
      Log.warnf(e, "Health event feed drain failed; retrying at the next tick");
    }
  }

  private void drain() {
    subscribers.removeIf(s -> !s.watcher.open());
    long from = applied;
    for (Subscriber s : subscribers) {
      if (s.watcher.ready()) {
        from = Math.min(from, s.lastSent);
      }
    }
    while (true) {
      List<Sequenced> page = events.after(from, PAGE);
      long cursor = from;
      for (Sequenced sequenced : page) {
        long seq = sequenced.sequence();
        if (seq > applied) {
          if (!registry.replicaId().equals(sequenced.origin())) {
            apply(sequenced.event());
          }
          applied = seq;
        }
        for (Subscriber s : subscribers) {
          // Only a subscriber that has everything up to the previous event may get this one.
          if (s.lastSent >= cursor && s.lastSent < seq && s.watcher.ready()) {
            if (s.wants(sequenced.event())) {
              s.watcher.send(seq, sequenced.event());
            }
            s.lastSent = seq;
          }
        }
        cursor = seq;
      }
      from = cursor;
      if (page.size() < PAGE) {
        return;
      }
    }
  }

  /** Another replica's event: keep this replica's view of the bot in step. */
  private void apply(HealthEvent event) {
    if (event.botId() == null) {
      return;
    }
    registry.find(event.botId()).ifPresent((BotState state) -> state.apply(event));
  }
}
