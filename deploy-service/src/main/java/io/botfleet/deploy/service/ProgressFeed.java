package io.botfleet.deploy.service;

import io.botfleet.common.db.PgNotifications;
import io.botfleet.deploy.domain.DeploymentDetail;
import io.botfleet.deploy.persistence.ProgressRepository;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Feeds WatchDeployment streams: the deployment as it is first, then one update per progress line,
 * whichever replica wrote it (lines are announced by NOTIFY, and looked for every 2 s in case a
 * notification was lost), until the deployment ends. One thread does all the work, so a stream
 * never sees lines out of order.
 */
@ApplicationScoped
public class ProgressFeed {

  /** Where one stream's updates go. */
  public interface Sink {
    /** One update: the deployment as it is now and what happened. */
    void send(DeploymentDetail deployment, String message, Instant time);

    /** The deployment ended: close the stream. */
    void end();

    /** False once the watcher is gone. */
    boolean open();
  }

  private static final class Subscriber {
    final Sink sink;
    long lastSeq;

    Subscriber(Sink sink, long lastSeq) {
      this.sink = sink;
      this.lastSeq = lastSeq;
    }
  }

  @Inject DeploymentService deployments;
  @Inject ProgressRepository progress;
  @Inject PgNotifications notifications;
  @Inject Clock clock;

  private final Map<String, List<Subscriber>> subscribers = new ConcurrentHashMap<>();
  private final ScheduledExecutorService worker =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "deployment-progress");
            t.setDaemon(true);
            return t;
          });

  void onStart(@Observes StartupEvent event) {
    notifications.listen(
        DeploymentJournal.CHANNEL, id -> worker.execute(() -> drain(id.isEmpty() ? null : id)));
    worker.scheduleWithFixedDelay(() -> drain(null), 2, 2, TimeUnit.SECONDS);
  }

  void onStop(@Observes ShutdownEvent event) {
    worker.shutdownNow();
  }

  /** Follows a deployment (which must exist): sends it as it is now, then its progress. */
  public void subscribe(String id, Sink sink) {
    worker.execute(
        () -> {
          try {
            long last = QuarkusTransaction.requiringNew().call(() -> progress.lastSeq(id));
            DeploymentDetail now = deployments.detail(id);
            sink.send(now, "current state: " + now.summary().state(), clock.instant());
            if (now.summary().state().terminal()) {
              sink.end();
              return;
            }
            subscribers
                .computeIfAbsent(id, k -> new CopyOnWriteArrayList<>())
                .add(new Subscriber(sink, last));
          } catch (RuntimeException e) {
            Log.warnf(e, "WatchDeployment of %s could not start", id);
            sink.end();
          }
        });
  }

  private void drain(String only) {
    for (String id : only == null ? List.copyOf(subscribers.keySet()) : List.of(only)) {
      List<Subscriber> subs = subscribers.get(id);
      if (subs == null) {
        continue;
      }
      subs.removeIf(s -> !s.sink.open());
      if (subs.isEmpty()) {
        subscribers.remove(id);
        continue;
      }
      try {
        long from = subs.stream().mapToLong(s -> s.lastSeq).min().orElse(0);
        // Read the state before the lines: a state change commits with its line, so if this state
        // is final, its line is among the lines read now or sent before, and the stream may end.
        boolean ended = deployments.get(id).state().terminal();
        List<ProgressRepository.Line> lines =
            QuarkusTransaction.requiringNew().call(() -> progress.after(id, from));
        // The deployment sent with the lines is read after them, so it is never older than they
        // are.
        DeploymentDetail now = lines.isEmpty() ? null : deployments.detail(id);
        for (Subscriber s : subs) {
          for (ProgressRepository.Line line : lines) {
            if (line.seq() > s.lastSeq) {
              s.sink.send(now, line.message(), line.time());
              s.lastSeq = line.seq();
            }
          }
          if (ended) {
            s.sink.end();
            subs.remove(s);
          }
        }
      } catch (RuntimeException e) {
        Log.warnf(e, "Progress of %s could not be read; retrying", id);
      }
    }
  }
}
