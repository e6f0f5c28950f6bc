package io.botfleet.health.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;

/** health-service settings (botfleet.health.*). */
@ConfigMapping(prefix = "botfleet.health")
public interface HealthConfig {

  /** The fleet manager's agent id: alerts are sent to it, events published as it. */
  @WithDefault("svc-fleet")
  String fleetManagerAgentId();

  /** The heartbeat writer (group commit). */
  Writer writer();

  /** Dead-bot detection. */
  Dead dead();

  /** Storage: partitions, rollups, retention. */
  Storage storage();

  /** Webhook deliveries. */
  Webhooks webhooks();

  /** SLA tracking. */
  Sla sla();

  /** At most one GreenHelix submit_metrics per bot per this interval. */
  @WithDefault("60s")
  Duration metricsInterval();

  /** Heartbeats a stream may have in flight (received, not yet answered). */
  @WithDefault("4")
  int streamWindow();

  /** The heartbeat writer. */
  interface Writer {
    /**
     * Heartbeats and events waiting to be written, at most. A stream that finds it full is closed
     * with UNAVAILABLE (the SDK reconnects with backoff); RecordHeartbeat answers UNAVAILABLE.
     */
    @WithDefault("50000")
    int queueCapacity();

    /** Items per transaction, at most. */
    @WithDefault("2000")
    int maxBatch();

    /**
     * Writer threads (each its own transactions, a bot always on the same one): a second one
     * overlaps one commit's WAL flush with the next batch's work.
     */
    @WithDefault("2")
    int threads();

    /** Attempts of a batch before its heartbeats are answered as not stored. */
    @WithDefault("5")
    int attempts();
  }

  /** Dead-bot detection. */
  interface Dead {
    /** A mass silence: more than this share of the watched bots silent at once (0 to 1). */
    @WithDefault("0.2")
    double massSilenceShare();

    /** The fewest silent bots that make a mass silence. */
    @WithDefault("3")
    int massSilenceMinBots();

    /** How often a replica that is not the owner tries to become it. */
    @WithDefault("2s")
    Duration ownerRetry();

    /**
     * If the sweeper itself was stalled this long (GC, CPU starvation), heartbeats may be waiting
     * unread: deadlines that passed meanwhile are postponed by the stall.
     */
    @WithDefault("2s")
    Duration stallTolerance();
  }

  /** Storage. */
  interface Storage {
    /** Raw heartbeats are kept this long (whole days). */
    @WithDefault("7d")
    Duration rawRetention();

    /** Minute rollups are kept this long (whole days). */
    @WithDefault("90d")
    Duration minuteRetention();

    /** Health events (WatchHealth's log) are kept this long. */
    @WithDefault("30d")
    Duration eventRetention();

    /** Daily partitions created ahead of today. */
    @WithDefault("3")
    int partitionsAhead();

    /** Minutes are rolled up once they are this old (late commits are re-rolled within it). */
    @WithDefault("30s")
    Duration rollupLag();

    /** How often the maintenance job runs (rollups every run; partitions hourly). */
    @WithDefault("20s")
    Duration maintenanceInterval();
  }

  /** Webhook deliveries. */
  interface Webhooks {
    /** Waits between attempts; after the last one fails the delivery is given up. */
    @WithDefault("5s,30s,2m,10m,30m,1h,2h,4h,8h")
    List<Duration> retrySchedule();

    /** Timeout of one delivery attempt. */
    @WithDefault("10s")
    Duration timeout();

    /** Deliveries in flight at once. */
    @WithDefault("8")
    int parallelism();

    /** At most one fleet.heartbeat delivery per bot per this interval. */
    @WithDefault("60s")
    Duration heartbeatSampleInterval();

    /** Finished deliveries stay in the log this long. */
    @WithDefault("30d")
    Duration logRetention();

    /** The dispatcher's pause when nothing is due. */
    @WithDefault("500ms")
    Duration pollInterval();
  }

  /** SLA tracking (chapter 7). */
  interface Sla {
    /**
     * A target missed by more than this factor × its limit is critical (for uptime: downtime beyond
     * it × the downtime the target allows) and fleet-service pauses the bot.
     */
    @WithDefault("1.5")
    double criticalFactor();

    /**
     * How often every bot with targets is checked (by the replica that owns dead-bot detection).
     */
    @WithDefault("60s")
    Duration checkInterval();

    /** The window the periodic check judges (1h, 24h, 7d, 30d or month). */
    @WithDefault("24h")
    String checkWindow();

    /** A reliability score is recomputed when it is older than this. */
    @WithDefault("1h")
    Duration reliabilityRefresh();

    /**
     * How often every replica refreshes the observer clock (the shared "health-service was running
     * at" time). Must be well under {@link #observerGapAfter()}.
     */
    @WithDefault("10s")
    Duration observerRefresh();

    /**
     * When the observer clock is found older than this, no replica was running since: the time is
     * recorded as an observation gap, in which SLA counts bots neither up nor down. Outages shorter
     * than this count as before (they only matter to groups with a dead threshold under it).
     */
    @WithDefault("60s")
    Duration observerGapAfter();
  }
}
