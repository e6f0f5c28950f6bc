package io.botfleet.permission.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** permission-service settings. */
@ConfigMapping(prefix = "botfleet.permission")
public interface PermissionConfig {

  /**
   * How often one replica (an advisory lock decides which) expires pending escalations past their
   * approval deadline and ends approved ones past their duration. Checks never wait for it: an
   * escalation past its end stops counting at once.
   */
  @WithDefault("5s")
  Duration sweepInterval();

  /**
   * How often the in-memory view of the assignments looks for changes it was not notified of (a
   * change from another replica normally arrives within milliseconds through LISTEN/NOTIFY).
   */
  @WithDefault("2s")
  Duration viewPollInterval();

  /** How long the change log of assignments is kept; a replica further behind reloads all. */
  @WithDefault("1d")
  Duration changeRetention();

  /** How long AssignPermissions request ids are remembered for retries. */
  @WithDefault("7d")
  Duration requestIdRetention();
}
