package io.botfleet.health.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The rules of dead-bot detection, without threads, clocks or storage (the service runs it on one
 * thread and tells it the time): a lazy deadline queue, grace after a takeover, confirmation with
 * other replicas, stall postponement and mass silence. Not thread-safe: one owner thread.
 *
 * <ul>
 *   <li>A bot's deadline is a threshold after the latest of its last heartbeat, its tracking start
 *       and the grace start (when this owner took over, or the last mass silence ended).
 *   <li>When deadlines pass, heartbeats other replicas received are looked up first.
 *   <li>If more than a share of the fleet is silent at that moment, it is a mass silence: one
 *       fleet-level alert, no deaths, until the silent share is back under half the trigger; then
 *       every bot gets a fresh threshold.
 * </ul>
 */
public final class DeadBotDetector {

  /** The bots, as the owner knows them. */
  public interface Fleet {
    /** Every tracked bot. */
    Collection<BotState> bots();

    /** One bot, if tracked. */
    Optional<BotState> find(String botId);

    /** The bot's dead threshold (its group's policy). */
    Duration deadAfter(BotState state);
  }

  /** Where the detector's decisions go, in order. */
  public interface Sink {
    /**
     * A bot was declared dead (called while holding the bot's lock, so the caller can queue the
     * events before any later heartbeat of the bot).
     */
    void dead(BotState state, List<HealthEvent> events, long deadline);

    /** Fleet-level events (mass silence started or ended). */
    void fleet(List<HealthEvent> events);
  }

  private final DeadlineQueue queue = new DeadlineQueue();
  private final MassSilenceRule rule;
  private final Set<String> suspended = new HashSet<>();
  private Instant graceStart;
  private Alert massSilence;
  private long pausedUntil;
  private long nextSilenceCheck;

  /** A detector that starts watching at {@code now} (every bot gets a threshold of grace). */
  public DeadBotDetector(MassSilenceRule rule, Instant now) {
    this.rule = rule;
    this.graceStart = now;
  }

  /** Takes over at {@code now}: a fresh grace for every bot, the open mass silence if any. */
  public void takeOver(Instant now, Alert openMassSilence, Fleet fleet) {
    graceStart = now;
    massSilence = openMassSilence;
    suspended.clear();
    nextSilenceCheck = 0;
    pausedUntil = 0;
    rebuild(fleet);
  }

  /** Stops watching (ownership lost). */
  public void clear() {
    queue.clear();
    suspended.clear();
  }

  /** Since when bots get their grace. */
  public Instant graceStart() {
    return graceStart;
  }

  /** The open mass-silence alert, if one is in progress. */
  public Alert massSilence() {
    return massSilence;
  }

  /** Bots with a deadline queued. */
  public int watched() {
    return queue.size();
  }

  /** When the next deadline falls due (epoch ms), or Long.MAX_VALUE. */
  public long nextDue() {
    return queue.nextDue();
  }

  /** The owner was stalled {@code lateMillis} until {@code now}: deaths wait as long again. */
  public void stalled(long now, long lateMillis) {
    pausedUntil = Math.max(pausedUntil, now + lateMillis);
  }

  /** Recomputes every deadline (a policy changed, or a takeover). */
  public void rebuild(Fleet fleet) {
    queue.clear();
    for (BotState state : fleet.bots()) {
      if (watched(state)) {
        queue.schedule(state.botId(), deadline(state, fleet));
      }
    }
  }

  /** Watches one bot (tracked, recovered, no longer standby). */
  public void watch(String botId, Fleet fleet) {
    fleet
        .find(botId)
        .ifPresent(
            state -> {
              if (watched(state)) {
                queue.schedule(botId, deadline(state, fleet));
              }
            });
  }

  /**
   * Handles every deadline due at {@code now}.
   *
   * @param elsewhere heartbeats other replicas received, looked up for the bots about to die
   */
  public void tick(
      long now,
      Fleet fleet,
      java.util.function.Function<List<String>, Map<String, Instant>> elsewhere,
      Sink sink) {
    List<BotState> candidates = new ArrayList<>();
    for (String id : queue.pollDue(now)) {
      fleet
          .find(id)
          .ifPresent(
              state -> {
                if (!watched(state)) {
                  return;
                }
                long deadline = deadline(state, fleet);
                if (deadline > now) {
                  queue.schedule(id, deadline);
                } else {
                  candidates.add(state);
                }
              });
    }
    if (!candidates.isEmpty() && now < pausedUntil) {
      candidates.forEach(c -> queue.schedule(c.botId(), pausedUntil));
      candidates.clear();
    }
    if (!candidates.isEmpty()) {
      Map<String, Instant> heard =
          elsewhere.apply(candidates.stream().map(BotState::botId).toList());
      candidates.removeIf(
          state -> {
            Instant at = heard.get(state.botId());
            if (at == null) {
              return false;
            }
            state.heardElsewhere(at);
            long deadline = deadline(state, fleet);
            if (deadline > now) {
              queue.schedule(state.botId(), deadline);
              return true;
            }
            return false;
          });
    }
    if (massSilence == null && candidates.isEmpty()) {
      return;
    }
    if (massSilence == null) {
      int[] counts = silentAndWatched(now, fleet, true);
      if (rule.starts(counts[0], counts[1])) {
        List<HealthEvent> events =
            FleetSilence.started(counts[0], counts[1], Instant.ofEpochMilli(now));
        massSilence = events.get(1).alert();
        nextSilenceCheck = now + 1000;
        sink.fleet(events);
      }
    }
    if (massSilence != null) {
      candidates.forEach(c -> suspended.add(c.botId()));
      if (now >= nextSilenceCheck) {
        nextSilenceCheck = now + 1000;
        int[] still = silentAndWatched(now, fleet, false);
        if (rule.ends(still[0], still[1])) {
          sink.fleet(
              FleetSilence.ended(massSilence, still[0], still[1], Instant.ofEpochMilli(now)));
          massSilence = null;
          // As after a restart: whoever is still silent gets a full threshold from now.
          graceStart = Instant.ofEpochMilli(now);
          for (String id : suspended) {
            watch(id, fleet);
          }
          suspended.clear();
        }
      }
      return;
    }
    for (BotState state : candidates) {
      synchronized (state) {
        long deadline = deadline(state, fleet);
        if (deadline > now) {
          queue.schedule(state.botId(), deadline); // it heartbeat just now
          continue;
        }
        List<HealthEvent> events = state.declareDead(Instant.ofEpochMilli(now));
        if (!events.isEmpty()) {
          sink.dead(state, events, deadline);
        }
      }
    }
  }

  /** While a mass silence is on, the detector must look at least every second. */
  public long nextCheck(long now) {
    long next = queue.nextDue();
    return massSilence == null ? next : Math.min(next, Math.max(now, nextSilenceCheck));
  }

  /**
   * {silent, watched}: watched bots are tracked and not standby. When a silence may be starting
   * ({@code starting}), silent ones are quiet for half their threshold now or were within the last
   * threshold, or died within it; when judging its end, only those quiet now count.
   */
  private int[] silentAndWatched(long now, Fleet fleet, boolean starting) {
    int silent = 0;
    int watchedBots = 0;
    Instant at = Instant.ofEpochMilli(now);
    for (BotState state : fleet.bots()) {
      if (state.bot().standby()) {
        continue;
      }
      watchedBots++;
      Duration deadAfter = fleet.deadAfter(state);
      if (state.status() == HealthStatus.DEAD) {
        Instant since = state.snapshot().deadSince();
        if (starting && since != null && now - since.toEpochMilli() < deadAfter.toMillis()) {
          silent++;
        }
        continue;
      }
      if (starting) {
        if (state.silentWithin(at, graceStart, deadAfter)) {
          silent++;
        }
      } else {
        long lastContact = deadline(state, fleet) - deadAfter.toMillis();
        if (MassSilenceRule.silent(lastContact, now, deadAfter.toMillis())) {
          silent++;
        }
      }
    }
    return new int[] {silent, watchedBots};
  }

  private static boolean watched(BotState state) {
    return !state.bot().standby() && state.status() != HealthStatus.DEAD;
  }

  /** The deadline in epoch ms, rounded up: a bot is never declared dead before its deadline. */
  private long deadline(BotState state, Fleet fleet) {
    Instant deadline = state.deadline(graceStart, fleet.deadAfter(state));
    return deadline.toEpochMilli() + (deadline.getNano() % 1_000_000 == 0 ? 0 : 1);
  }
}
