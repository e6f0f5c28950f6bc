package io.botfleet.sdk;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Executor;

/**
 * Decides when the bot is without the control plane, and tells the bot (safe mode) and, once
 * contact is back, the control plane (the {@code sdk_safe_mode*} heartbeat metrics).
 *
 * <p>Contact is lost from the earliest of: the heartbeat stream down (since it went down, through
 * every failed reconnect), the command stream down (likewise), or a heartbeat unanswered (since it
 * was sent). A stream counts as up again only when proven: the heartbeat stream by an answer, the
 * command stream by a command or by staying open for the confirmation time (a refused stream fails
 * far sooner). Safe mode begins when contact has been lost for the dead-man time, and ends when
 * both streams are proven and no heartbeat is overdue.
 */
final class DeadMansSwitch {

  private static final System.Logger LOG = System.getLogger(DeadMansSwitch.class.getName());

  /** One stream's side of it. */
  private static final class StreamState {
    Long downSince;
    String downReason;
    Long openedAt;
    boolean proven;

    StreamState(long now, String reason) {
      downSince = now;
      downReason = reason;
    }
  }

  private final long afterMillis;
  private final long confirmMillis;
  private final Clock clock;
  private final SafeModeListener listener;
  private final Executor urgentLane;
  private final String bot;
  private final StreamState heartbeat;
  private final StreamState command;
  private Long oldestUnanswered;
  private SafeModeEpisode active;
  private int episodes;
  private long lastEpisodeSeconds;
  private boolean disarmed;

  DeadMansSwitch(
      long afterMillis,
      long confirmMillis,
      Clock clock,
      SafeModeListener listener,
      Executor urgentLane,
      String bot) {
    this.afterMillis = afterMillis;
    this.confirmMillis = confirmMillis;
    this.clock = clock;
    this.listener = listener;
    this.urgentLane = urgentLane;
    this.bot = bot;
    long now = clock.millis();
    heartbeat = new StreamState(now, "heartbeat stream not connected yet");
    command = new StreamState(now, "command stream not connected yet");
  }

  synchronized void heartbeatStreamOpening() {
    heartbeat.openedAt = clock.millis();
    heartbeat.proven = false;
  }

  /** An answer arrived; {@code stillUnansweredSince} is the send time of the oldest one left. */
  synchronized void heartbeatAnswered(Long stillUnansweredSince) {
    prove(heartbeat);
    oldestUnanswered = stillUnansweredSince;
    evaluate();
  }

  /**
   * A heartbeat was sent; {@code oldestUnansweredSince} is the send time of the oldest unanswered.
   */
  synchronized void heartbeatSent(long oldestUnansweredSince) {
    oldestUnanswered = oldestUnansweredSince;
  }

  synchronized void heartbeatStreamDown(String reason) {
    down(heartbeat, reason);
    oldestUnanswered = null;
    evaluate();
  }

  synchronized void commandStreamOpening() {
    command.openedAt = clock.millis();
    command.proven = false;
  }

  /** A command arrived: the stream works. */
  synchronized void commandStreamProven() {
    prove(command);
    evaluate();
  }

  synchronized void commandStreamDown(String reason) {
    down(command, reason);
    evaluate();
  }

  /**
   * Checks the clock (the client's tick): proves streams open long enough without a heartbeat to
   * prove them, and enters or leaves safe mode.
   *
   * @param sendingHeartbeats false while the bot sends none (a dormant standby): its heartbeat
   *     stream is then proven like the command stream, by staying open
   */
  synchronized void tick(boolean sendingHeartbeats) {
    long now = clock.millis();
    if (!command.proven && command.openedAt != null && now - command.openedAt >= confirmMillis) {
      prove(command);
    }
    if (!sendingHeartbeats
        && !heartbeat.proven
        && heartbeat.openedAt != null
        && now - heartbeat.openedAt >= confirmMillis) {
      prove(heartbeat);
    }
    evaluate();
  }

  /** No more callbacks (the client is closing, or its keys were destroyed). */
  synchronized void disarm() {
    disarmed = true;
  }

  synchronized boolean inSafeMode() {
    return active != null;
  }

  synchronized SafeModeEpisode activeEpisode() {
    return active;
  }

  /** Safe-mode episodes since start (the heartbeat's {@code sdk_safe_mode_episodes}). */
  synchronized int episodes() {
    return episodes;
  }

  /** Length of the last finished episode, seconds ({@code sdk_safe_mode_last_seconds}). */
  synchronized long lastEpisodeSeconds() {
    return lastEpisodeSeconds;
  }

  private void prove(StreamState stream) {
    stream.proven = true;
    stream.downSince = null;
    stream.downReason = null;
  }

  private void down(StreamState stream, String reason) {
    stream.proven = false;
    stream.openedAt = null;
    if (stream.downSince == null) {
      stream.downSince = clock.millis();
      stream.downReason = reason;
    }
  }

  private void evaluate() {
    if (disarmed) {
      return;
    }
    long now = clock.millis();
    Long lostSince = null;
    String reason = null;
    if (heartbeat.downSince != null) {
      lostSince = heartbeat.downSince;
      reason = heartbeat.downReason;
    }
    if (command.downSince != null && (lostSince == null || command.downSince < lostSince)) {
      lostSince = command.downSince;
      reason = command.downReason;
    }
    if (oldestUnanswered != null
        && now - oldestUnanswered > confirmMillis
        && (lostSince == null || oldestUnanswered < lostSince)) {
      lostSince = oldestUnanswered;
      reason = "heartbeats unanswered";
    }
    if (active == null && lostSince != null && now - lostSince >= afterMillis) {
      SafeModeEpisode episode =
          new SafeModeEpisode(
              Instant.ofEpochMilli(lostSince), Instant.ofEpochMilli(now), null, reason);
      active = episode;
      episodes++;
      LOG.log(
          System.Logger.Level.WARNING,
          "{0}: no control plane for {1} ms ({2}): safe mode, no new positions",
          bot,
          now - lostSince,
          reason);
      urgentLane.execute(() -> listener.enterSafeMode(episode));
    } else if (active != null && lostSince == null && heartbeat.proven && command.proven) {
      SafeModeEpisode ended =
          new SafeModeEpisode(
              active.contactLostAt(),
              active.enteredAt(),
              Instant.ofEpochMilli(now),
              active.reason());
      active = null;
      lastEpisodeSeconds = ended.withoutControlPlane().toSeconds();
      LOG.log(
          System.Logger.Level.WARNING,
          "{0}: control plane back after {1} s without it ({2}); safe mode ended",
          bot,
          lastEpisodeSeconds,
          ended.reason());
      urgentLane.execute(() -> listener.exitSafeMode(ended));
    }
  }
}
