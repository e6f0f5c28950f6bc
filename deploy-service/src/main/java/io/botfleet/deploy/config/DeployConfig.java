package io.botfleet.deploy.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** deploy-service settings. */
@ConfigMapping(prefix = "botfleet.deploy")
public interface DeployConfig {

  /** Run the rollout driver in this replica (off only for tests that drive it by hand). */
  @WithDefault("true")
  boolean driverEnabled();

  /** How often the driver looks at the deployments it holds (health events wake it sooner). */
  @WithDefault("1s")
  Duration tickInterval();

  /**
   * How long a replica's hold on a deployment lasts without renewal: after a crash, another replica
   * takes the deployment over this long after the last renewal.
   */
  @WithDefault("30s")
  Duration leaseTtl();

  /** The replica's name in leases; default a random one per start (hostname + random suffix). */
  Optional<String> instanceId();

  /** Deadline of every unary call to fleet-service and health-service. */
  @WithDefault("5s")
  Duration callDeadline();

  /** How long update_version waits for a disconnected bot before fleet-service drops it. */
  @WithDefault("24h")
  Duration updateCommandTtl();

  /** How long rollback_version waits for a disconnected bot (longer: it must arrive). */
  @WithDefault("7d")
  Duration rollbackCommandTtl();

  /** How long the previous versions' artifacts are kept after a deployment completes. */
  @WithDefault("72h")
  Duration retainPrevious();

  /**
   * How long an analysis whose window has ended keeps retrying health-service before it gives up as
   * inconclusive.
   */
  @WithDefault("60s")
  Duration analysisGrace();

  /** Most heartbeat points asked per bot for an analysis (longer windows are downsampled). */
  @WithDefault("1000")
  int historyMaxPoints();

  /**
   * Follow health-service's WatchHealth stream to react at once to critical, dead or changed bots.
   */
  @WithDefault("true")
  boolean watchHealth();

  /** First wait before reopening a lost WatchHealth stream; doubles up to 10 s. */
  @WithDefault("500ms")
  Duration watchBackoff();
}
