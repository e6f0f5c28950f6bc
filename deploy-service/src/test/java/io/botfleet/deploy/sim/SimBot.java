package io.botfleet.deploy.sim;

import io.botfleet.fleet.v1.BotStatus;
import io.botfleet.health.v1.HealthStatus;
import io.botfleet.health.v1.HeartbeatRecord;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One simulated bot: what fleet-service knows of it, what it does when told to update or roll back,
 * and the heartbeats health-service received from it.
 */
public final class SimBot {

  /** How a bot misbehaves once it runs a new version. */
  public enum Misbehaviour {
    /** Behaves. */
    NONE,
    /** Refuses update_version. */
    REJECT,
    /** Acknowledges update_version, then keeps reporting its old version. */
    ACK_WITHOUT_VERSION,
    /** Reports 6 errors per heartbeat on the new version (warning, not critical). */
    ERRORS,
    /** Reports 15 errors per heartbeat on the new version (critical). */
    CRITICAL,
    /** Stops heartbeating a moment after it runs the new version, and is declared dead. */
    DIES,
    /** Stops heartbeating a moment after it runs the new version, never declared dead. */
    SILENT
  }

  final String id;
  final String name;
  final String group;
  final String exchange;
  volatile String version;
  volatile BotStatus status = BotStatus.BOT_STATUS_ACTIVE;
  volatile boolean standby;
  volatile BigDecimal pnlToday;
  volatile int openOrders;
  volatile Misbehaviour misbehaviour = Misbehaviour.NONE;
  volatile String badVersion;
  volatile boolean stuckOrders;
  volatile boolean rejectsRollbacks;

  // Health-side state.
  volatile boolean heartbeating = true;
  volatile boolean neverDead;
  volatile double errorsPerHeartbeat;
  volatile HealthStatus health = HealthStatus.HEALTH_STATUS_UNKNOWN;
  volatile String reportedVersion;
  volatile Instant lastHeartbeat;
  volatile Instant silentSince;
  volatile long sequence;
  final List<HeartbeatRecord> heartbeats = new CopyOnWriteArrayList<>();

  SimBot(String id, String name, String group, String exchange, String version) {
    this.id = id;
    this.name = name;
    this.group = group;
    this.exchange = exchange;
    this.version = version;
  }

  /** The bot's id (agent id). */
  public String id() {
    return id;
  }

  /** The bot's name. */
  public String name() {
    return name;
  }

  /** The version it runs. */
  public String version() {
    return version;
  }

  /** Its fleet status. */
  public BotStatus status() {
    return status;
  }

  /** Its PnL today. */
  public SimBot pnl(String usd) {
    this.pnlToday = new BigDecimal(usd);
    return this;
  }

  /** Misbehaves like this once it runs {@code version}. */
  public SimBot misbehaveOn(String version, Misbehaviour misbehaviour) {
    this.badVersion = version;
    this.misbehaviour = misbehaviour;
    return this;
  }

  /** Sets its open orders (stateful bots drain them to 0 once paused). */
  public SimBot openOrders(int orders) {
    this.openOrders = orders;
    return this;
  }

  /** Makes it a dormant standby (no heartbeats). */
  public SimBot standby() {
    this.standby = true;
    this.status = BotStatus.BOT_STATUS_STANDBY;
    this.heartbeating = false;
    this.neverDead = true;
    return this;
  }

  /** Sets its fleet status (e.g. paused by an operator). */
  public SimBot status(BotStatus status) {
    this.status = status;
    return this;
  }

  /** When health-service received a heartbeat. */
  static Instant time(HeartbeatRecord h) {
    return Instant.ofEpochSecond(h.getReceiveTime().getSeconds(), h.getReceiveTime().getNanos());
  }

  /** Stops heartbeating (without ever being declared dead) or starts again. */
  public SimBot heartbeating(boolean on) {
    this.neverDead = true;
    this.heartbeating = on;
    return this;
  }

  /** Keeps its open orders even when paused (a drain that never finishes). */
  public SimBot stuckOrders() {
    this.stuckOrders = true;
    return this;
  }

  /** Rejects rollback_version (its previous version is no longer installed). */
  public SimBot rejectsRollbacks() {
    this.rejectsRollbacks = true;
    return this;
  }

  /** The heartbeats received from it over the last {@code window}. */
  public List<HeartbeatRecord> recentHeartbeats(Duration window) {
    Instant since = Instant.now().minus(window);
    return heartbeats.stream()
        .filter(
            h ->
                !Instant.ofEpochSecond(
                        h.getReceiveTime().getSeconds(), h.getReceiveTime().getNanos())
                    .isBefore(since))
        .toList();
  }
}
