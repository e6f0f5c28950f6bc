package io.botfleet.health.service;

import io.botfleet.health.config.HealthConfig;
import io.botfleet.health.domain.BotSnapshot;
import io.botfleet.health.domain.HealthEvent;
import io.botfleet.health.persistence.HeartbeatRow;
import io.botfleet.health.persistence.HeartbeatStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.hibernate.Session;

/**
 * Group commit of heartbeats: a bounded queue drained by writer threads (a bot always by the same
 * one), each drain one transaction (COPY of the raw heartbeats, one UPDATE of the current-state
 * rows, the health events, alerts, audit events, outbox calls and webhook deliveries they caused).
 * Heartbeats are answered only after the transaction holding them committed, so an answered
 * heartbeat survives any crash; the batch grows with the load (whatever queued during the previous
 * commit), which keeps throughput without a fixed delay.
 *
 * <p>Events (deaths, recoveries, alerts) are never dropped: if a batch keeps failing, its
 * heartbeats are answered "not stored" (the bot resends) and its events go into the next batch.
 */
@ApplicationScoped
public class HeartbeatWriter {

  @Inject HealthConfig config;
  @Inject EntityManager entityManager;
  @Inject HeartbeatStore store;
  @Inject HealthEffects effects;
  @Inject HealthEventFeed feed;
  @Inject StorageMaintenance maintenance;
  @Inject MeterRegistry meters;
  @Inject BotRegistry registry;

  private final List<Shard> shards = new ArrayList<>();
  private Semaphore room;
  private volatile boolean running;
  private Timer commitTimer;

  /**
   * One writer thread with its queue. A bot always goes to the same shard, so its heartbeats are
   * written in order; two shards overlap one transaction's commit (its WAL flush) with the next
   * one's work.
   */
  private final class Shard {
    final BlockingQueue<WriteItem> queue = new LinkedBlockingQueue<>();
    final Deque<WriteItem> carried = new ArrayDeque<>();
    Thread thread;
  }

  /** Starts the writer thread (after the partitions exist). */
  void start() {
    room = new Semaphore(config.writer().queueCapacity());
    commitTimer = meters.timer("botfleet.health.writer.commit");
    meters.gauge("botfleet.health.writer.queue", this, HeartbeatWriter::backlog);
    running = true;
    for (int i = 0; i < config.writer().threads(); i++) {
      Shard shard = new Shard();
      shard.thread = new Thread(() -> run(shard), "heartbeat-writer-" + i);
      shard.thread.setDaemon(true);
      shards.add(shard);
    }
    shards.forEach(shard -> shard.thread.start());
  }

  void stop(@jakarta.enterprise.event.Observes ShutdownEvent event) {
    running = false;
    for (Shard shard : shards) {
      try {
        // Let the last batch commit, so heartbeats already queued are answered, not lost.
        shard.thread.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Reserves room for one heartbeat; false if the writer is that far behind (the caller refuses the
   * heartbeat before changing any state). Each reservation is used by one {@link #submit}.
   */
  boolean reserve() {
    return room != null && room.tryAcquire();
  }

  /** Gives back reservations that were not used. */
  void release(int reservations) {
    room.release(reservations);
  }

  /** Queues a heartbeat for which room was reserved, or events (which are never refused). */
  void submit(WriteItem item) {
    String bot =
        item.row() != null
            ? item.row().botId()
            : item.snapshot() != null ? item.snapshot().botId() : "";
    shards.get(Math.floorMod(bot.hashCode(), shards.size())).queue.add(item);
  }

  /** Items waiting. */
  public int backlog() {
    return shards.stream().mapToInt(shard -> shard.queue.size()).sum();
  }

  private void run(Shard shard) {
    List<WriteItem> batch = new ArrayList<>();
    int max = config.writer().maxBatch();
    while (running || !shard.queue.isEmpty()) {
      try {
        batch.clear();
        while (!shard.carried.isEmpty() && batch.size() < max) {
          batch.add(shard.carried.poll());
        }
        if (batch.isEmpty()) {
          WriteItem first = shard.queue.poll(200, TimeUnit.MILLISECONDS);
          if (first == null) {
            continue;
          }
          batch.add(first);
        }
        shard.queue.drainTo(batch, max - batch.size());
        write(batch, shard.carried);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        Log.errorf(e, "Heartbeat writer failed on a batch of %d", batch.size());
      }
    }
  }

  private void write(List<WriteItem> batch, Deque<WriteItem> carried) throws InterruptedException {
    long backoff = 50;
    RuntimeException last = null;
    for (int attempt = 1; attempt <= config.writer().attempts(); attempt++) {
      try {
        List<HealthEvent> events = new ArrayList<>();
        long[] sequences = commitTimer.recordCallable(() -> commit(batch, events));
        release(batch);
        batch.forEach(item -> item.done().complete(null));
        feed.committed(events, sequences);
        return;
      } catch (Exception e) {
        last = e instanceof RuntimeException r ? r : new IllegalStateException(e);
        if (StorageMaintenance.missingPartition(e)) {
          maintenance.ensurePartitions();
        }
        Log.warnf(
            "Heartbeat batch of %d failed (attempt %d): %s", batch.size(), attempt, e.getMessage());
        Thread.sleep(backoff);
        backoff = Math.min(backoff * 2, 2000);
      }
    }
    // Heartbeats are refused (not stored: the bots resend); what they caused is kept.
    release(batch);
    for (WriteItem item : batch) {
      if (item.row() != null) {
        item.done().completeExceptionally(last);
        if (!item.events().isEmpty() || item.snapshot() != null) {
          carried.add(
              new WriteItem(
                  null,
                  item.snapshot(),
                  item.events(),
                  item.actor(),
                  false,
                  false,
                  new java.util.concurrent.CompletableFuture<>()));
        }
      } else {
        carried.add(item);
      }
    }
  }

  private void release(List<WriteItem> batch) {
    int heartbeats = 0;
    for (WriteItem item : batch) {
      if (item.row() != null) {
        heartbeats++;
      }
    }
    room.release(heartbeats);
  }

  private long[] commit(List<WriteItem> batch, List<HealthEvent> events) {
    List<HeartbeatRow> rows = new ArrayList<>(batch.size());
    Map<String, BotSnapshot> states = new LinkedHashMap<>();
    List<String> actors = new ArrayList<>();
    for (WriteItem item : batch) {
      if (item.row() != null) {
        rows.add(item.row());
      }
      if (item.snapshot() != null) {
        states.put(item.snapshot().botId(), item.snapshot());
      }
      for (HealthEvent event : item.events()) {
        events.add(event);
        actors.add(item.actor());
      }
    }
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              long[] sequences =
                  entityManager
                      .unwrap(Session.class)
                      .doReturningWork(
                          connection -> {
                            store.copyHeartbeats(connection, rows);
                            store.updateStates(connection, new ArrayList<>(states.values()));
                            long[] seqs =
                                store.insertEvents(connection, events, registry.replicaId());
                            store.saveAlerts(connection, HealthEffects.alertsOf(events));
                            store.insertDeliveries(connection, effects.deliveries(batch, events));
                            if (!events.isEmpty()) {
                              store.notifyEvents(connection);
                            }
                            return seqs;
                          });
              effects.record(batch, events, actors);
              return sequences;
            });
  }
}
