package io.botfleet.fleet.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;

/** fleet-service's own settings (docs/operations.md lists them). */
@ConfigMapping(prefix = "botfleet.fleet")
public interface FleetConfig {

  /** Deadline of every unary call to identity, permission and health. */
  @WithDefault("5s")
  Duration callDeadline();

  /**
   * How long PauseBots, ResumeBots and EmergencyStop wait for permission-service to enforce the
   * command before answering; past it the suspension keeps being retried in the background.
   */
  @WithDefault("3s")
  Duration enforcementWait();

  /**
   * How long RevokeBot lets the emergency stop reach the bot's stream before the identity is
   * revoked (revocation closes the stream). A bot that is not connected is revoked at once.
   */
  @WithDefault("2s")
  Duration revokeDeliveryWait();

  /** A registration nobody retried for this long is undone (its identity revoked). */
  @WithDefault("10m")
  Duration abandonedRegistration();

  /** How often expired deliveries, due deregistrations and queued calls are looked at. */
  @WithDefault("1s")
  Duration sweepInterval();

  /** First retry delay of a queued call; doubles up to {@link #taskMaxBackoff()}. */
  @WithDefault("500ms")
  Duration taskBackoff();

  /** Longest retry delay of a queued call. Calls are retried until they succeed. */
  @WithDefault("1m")
  Duration taskMaxBackoff();

  /** Lease of single-owner work (health watch, key rotation schedule); renewed at a third. */
  @WithDefault("15s")
  Duration leaseTtl();

  /** Writes of sent and acknowledged deliveries are batched; at most this many per batch. */
  @WithDefault("5000")
  int ackBatch();

  /** How often each connected stream is checked against the database for commands it missed. */
  @WithDefault("30s")
  Duration resyncInterval();

  /**
   * Commands and their per-bot deliveries are deleted this long after they were issued, except a
   * delivery still open (pending or sent, unexpired), its command, and a command not yet mirrored
   * to GreenHelix or referenced by a failover. Fleet events (the audit trail) are never purged.
   */
  @WithDefault("90d")
  Duration commandRetention();

  /** The health watch. */
  HealthWatch healthWatch();

  /** Scheduled key rotation. */
  KeyRotation keyRotation();

  /** Warming the kill switch's path at start. */
  Warmup warmup();

  /** The health watch (WatchHealth of health-service). */
  interface HealthWatch {
    /** Follow health-service at all. */
    @WithDefault("true")
    boolean enabled();

    /** First reconnection delay; doubles up to {@link #maxBackoff()}, with jitter. */
    @WithDefault("200ms")
    Duration backoff();

    /** Longest reconnection delay. */
    @WithDefault("10s")
    Duration maxBackoff();
  }

  /** Scheduled key rotation: identities due are rotated and their bots told. */
  interface KeyRotation {
    /** Rotate due keys at all. */
    @WithDefault("true")
    boolean enabled();

    /** How often to look for identities due. */
    @WithDefault("1h")
    Duration interval();

    /** How long the bot has to register its new key (the rotation's grace period). */
    @WithDefault("24h")
    @WithName("grace-period")
    Duration gracePeriod();
  }

  /** Warm-up of the emergency stop's path at start (the kill switch is used once, in a hurry). */
  interface Warmup {
    /** Warm up at all. */
    @WithDefault("true")
    boolean enabled();

    /** Synthetic bots per round (rolled back, never visible). */
    @WithDefault("2000")
    int bots();

    /** Rounds. */
    @WithDefault("10")
    int rounds();
  }
}
