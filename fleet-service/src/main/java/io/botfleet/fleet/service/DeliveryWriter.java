package io.botfleet.fleet.service;

import io.botfleet.fleet.config.FleetConfig;
import io.botfleet.fleet.domain.CommandType;
import io.botfleet.fleet.domain.DeliveryState;
import io.botfleet.fleet.domain.FleetEventTypes;
import io.botfleet.fleet.persistence.CommandRepository;
import io.botfleet.fleet.persistence.CommandRepository.RecordedAck;
import io.botfleet.fleet.persistence.CommandRepository.StateChange;
import io.botfleet.fleet.persistence.ConnectionRepository;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Writes what happens on the streams (a delivery sent, a bot's acknowledgement, a stream closed) in
 * batches: an emergency stop to 10,000 bots brings 10,000 acknowledgements within a fraction of a
 * second, which one statement per batch absorbs where one transaction per ack would not. A send is
 * recorded only if its ack has not come within {@link #SENT_DELAY} (the ack records the send too),
 * which halves the writes of a command that bots acknowledge at once. An ack held here when the
 * process dies is lost; the delivery stays SENT (or PENDING) and is sent again when the bot
 * reconnects (at least once; the bot ignores a command id it already applied).
 */
@ApplicationScoped
public class DeliveryWriter {

  /** How long a send waits for its ack before it is recorded on its own. */
  static final long SENT_DELAY = TimeUnit.MILLISECONDS.toNanos(250);

  private record Op(Kind kind, StateChange change) {}

  /** Sends not recorded yet, oldest first, by "bot/sequence"; touched by the writer thread only. */
  private final LinkedHashMap<String, Long> unrecordedSends = new LinkedHashMap<>();

  private final Map<String, StateChange> unrecordedChanges = new HashMap<>();

  private enum Kind {
    SENT,
    ACK,
    DISCONNECTED
  }

  @Inject CommandRepository commands;
  @Inject ConnectionRepository connections;
  @Inject FleetEvents events;
  @Inject BotLifecycleService lifecycle;
  @Inject Replica replica;
  @Inject FleetConfig config;

  private final LinkedBlockingQueue<Op> queue = new LinkedBlockingQueue<>();
  private volatile boolean running;
  private Thread thread;

  void start(@Observes @Priority(10) StartupEvent event) {
    running = true;
    thread = new Thread(this::run, "fleet-delivery-writer");
    thread.setDaemon(true);
    thread.start();
  }

  void stop(@Observes ShutdownEvent event) {
    running = false;
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    flush(drainAll(), true);
  }

  /** A delivery was written to its bot's stream. */
  public void sent(String botId, long sequence, UUID commandId) {
    queue.add(
        new Op(Kind.SENT, new StateChange(botId, sequence, commandId, DeliveryState.SENT, "")));
  }

  /** A bot acknowledged a delivery. */
  public void acknowledged(StateChange ack) {
    queue.add(new Op(Kind.ACK, ack));
  }

  /** A bot's stream on this replica closed. */
  public void disconnected(String botId) {
    queue.add(new Op(Kind.DISCONNECTED, new StateChange(botId, 0, null, null, "")));
  }

  private void run() {
    while (running) {
      try {
        Op first = queue.poll(50, TimeUnit.MILLISECONDS);
        List<Op> batch = new ArrayList<>();
        if (first != null) {
          batch.add(first);
          queue.drainTo(batch, config.ackBatch() - 1);
        }
        flush(batch, false);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        Log.errorf(e, "Delivery writer failed a batch");
      }
    }
  }

  private List<Op> drainAll() {
    List<Op> rest = new ArrayList<>();
    queue.drainTo(rest);
    return rest;
  }

  private void flush(List<Op> batch, boolean everything) {
    // One change per delivery and kind: the furthest ack wins (rows of one UPDATE must be unique).
    Map<String, StateChange> acks = new HashMap<>();
    List<String> disconnected = new ArrayList<>();
    long now = System.nanoTime();
    for (Op op : batch) {
      String key = op.change().botId() + "/" + op.change().sequence();
      switch (op.kind()) {
        case SENT -> {
          unrecordedSends.putIfAbsent(key, now);
          unrecordedChanges.putIfAbsent(key, op.change());
        }
        case ACK ->
            acks.merge(key, op.change(), (a, b) -> b.state().rank() >= a.state().rank() ? b : a);
        case DISCONNECTED -> disconnected.add(op.change().botId());
      }
    }
    // An ack records its send; sends still unacknowledged after the delay are recorded alone.
    for (String key : acks.keySet()) {
      unrecordedSends.remove(key);
      unrecordedChanges.remove(key);
    }
    Map<String, StateChange> sent = new LinkedHashMap<>();
    var due = unrecordedSends.entrySet().iterator();
    while (due.hasNext()) {
      var entry = due.next();
      if (!everything && now - entry.getValue() < SENT_DELAY) {
        break;
      }
      sent.put(entry.getKey(), unrecordedChanges.remove(entry.getKey()));
      due.remove();
    }
    if (sent.isEmpty() && acks.isEmpty() && disconnected.isEmpty()) {
      return;
    }
    long started = System.nanoTime();
    for (int attempt = 1; ; attempt++) {
      try {
        boolean shutdowns =
            QuarkusTransaction.requiringNew()
                .call(
                    () -> {
                      commands.recordSent(sent.values());
                      List<RecordedAck> recorded = commands.recordAcks(acks.values());
                      connections.disconnect(disconnected, replica.id());
                      return react(recorded);
                    });
        if (shutdowns) {
          lifecycle.finishDueDeregistrationsSoon();
        }
        Log.debugf(
            "Recorded %d sends and %d acks in %d ms",
            sent.size(), acks.size(), (System.nanoTime() - started) / 1_000_000);
        return;
      } catch (RuntimeException e) {
        if (attempt >= 3 || !CommandService.isSqlState(e, "40P01")) {
          Log.errorf(
              e,
              "Could not record %d sends and %d acks; the bots get those commands again when they"
                  + " reconnect",
              sent.size(),
              acks.size());
          return;
        }
      }
    }
  }

  /** Records what acknowledgements imply; true if a bot acknowledged its shutdown. */
  private boolean react(List<RecordedAck> recorded) {
    boolean shutdowns = false;
    for (RecordedAck ack : recorded) {
      if (ack.state() == DeliveryState.REJECTED || ack.state() == DeliveryState.FAILED) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("command_id", ack.commandId().toString());
        payload.put("command", ack.type());
        payload.put("agent_id", ack.botId());
        payload.put("state", ack.state().name().toLowerCase(java.util.Locale.ROOT));
        payload.put("message", ack.message());
        events.record(FleetEventTypes.COMMAND_FAILED, ack.botId(), ack.botId(), payload);
      }
      if (CommandType.SHUTDOWN.equals(ack.type())
          && (ack.state() == DeliveryState.ACCEPTED || ack.state() == DeliveryState.DONE)) {
        shutdowns |= lifecycle.shutdownAcknowledged(ack.botId());
      }
    }
    return shutdowns;
  }
}
