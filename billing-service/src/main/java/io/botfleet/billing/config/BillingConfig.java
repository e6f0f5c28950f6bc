package io.botfleet.billing.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

/** billing-service settings (docs/operations.md, "Costs and budgets"). */
@ConfigMapping(prefix = "botfleet.billing")
public interface BillingConfig {

  /** Price of one delivered GreenHelix call, USD (the guide: 0.01). */
  @WithDefault("0.01")
  BigDecimal greenhelixPricePerCall();

  /**
   * Monthly budget defaults per group, USD, for bots with no budget of their own and groups with
   * none set through SetBudget (application.properties holds the guide's examples). They never
   * pause a bot: pausing is an operator's choice made with SetBudget.
   */
  Map<String, BigDecimal> groupBudgets();

  /** The decision rule of GetRoiRanking and CalculateRoi. */
  Decision decision();

  /** The background jobs. */
  Jobs jobs();

  /** Calls to other services. */
  Clients clients();

  /** Thresholds of the guide's decision rule (shut down, optimise, scale). */
  interface Decision {
    /** ROI below this percentage (negative or marginal) recommends shutting the bot down. */
    @WithDefault("25")
    BigDecimal shutDownBelowRoiPct();

    /** ROI at or above this percentage recommends scaling the bot up. */
    @WithDefault("300")
    BigDecimal scaleFromRoiPct();

    /** Costs eating at least this share of gross PnL (percent) recommend optimising... */
    @WithDefault("30")
    BigDecimal optimiseFromCostSharePct();

    /** ...when they are also at least this much per day on average (USD): "high cost". */
    @WithDefault("10")
    BigDecimal optimiseMinDailyCostUsd();
  }

  /** The daily jobs and the retry of pending pauses. */
  interface Jobs {
    /** Run the jobs at all (tests drive them by hand). */
    @WithDefault("true")
    boolean enabled();

    /** How often the daily jobs look for closed days to book (idempotent, so often is fine). */
    @WithDefault("5m")
    Duration interval();

    /** A day is booked this long after it ended (UTC), so relays and heartbeats are in. */
    @WithDefault("15m")
    Duration closeDelay();

    /** How many closed days back API fees and metrics are caught up after downtime. */
    @WithDefault("35")
    int catchUpDays();

    /** How often pending pauses are retried. */
    @WithDefault("10s")
    Duration actionsInterval();

    /** Longest wait between two attempts of a pending pause. */
    @WithDefault("5m")
    Duration actionsMaxBackoff();

    /** How often bot names, groups, strategies and exchanges are refreshed from fleet-service. */
    @WithDefault("5m")
    Duration directoryRefresh();
  }

  /** Deadlines of calls to other services. */
  interface Clients {
    /** Looking a bot up while booking a cost (short: booking never waits long on fleet). */
    @WithDefault("2s")
    Duration lookupDeadline();

    /** Every other call (lists, daily stats, usage, pause). */
    @WithDefault("10s")
    Duration deadline();
  }
}
