package io.botfleet.sim;

import io.botfleet.fleet.v1.Bot;
import io.botfleet.fleet.v1.GetFleetStatusResponse;
import io.botfleet.fleet.v1.StatusCounts;
import io.botfleet.health.v1.GetFleetHealthDashboardResponse;
import io.botfleet.health.v1.GroupHealth;
import io.botfleet.health.v1.StatusSummary;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/** What {@code ./fleet demo} shows: fleet status, the health dashboard, the bots, what to try. */
final class DemoScreen {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

  private DemoScreen() {}

  static String render(
      GetFleetStatusResponse status,
      GetFleetHealthDashboardResponse health,
      List<Bot> bots,
      Instant now,
      long refreshSeconds,
      int controlPort) {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "botfleet demo · %s · %s UTC · refreshed every %d s · Ctrl-C stops everything%n%n",
            status.getFleetManager(),
            TIME.format(now),
            refreshSeconds));
    out.append(
        String.format(
            Locale.ROOT,
            "FLEET STATUS (fleet-service GetFleetStatus): %d bots%n",
            status.getTotalBots()));
    String statusRow = "  %-15s %6s %6s %7s %5s %7s %7s%n";
    out.append(
        String.format(
            statusRow, "GROUP", "ACTIVE", "PAUSED", "STOPPED", "DEAD", "PENDING", "STANDBY"));
    for (String group : new TreeSet<>(status.getGroupCountsMap().keySet())) {
      out.append(counts(statusRow, group, status.getGroupCountsMap().get(group)));
    }
    out.append(counts(statusRow, "(fleet)", status.getStatusCounts()));

    out.append(
        String.format(
            Locale.ROOT,
            "%nHEALTH DASHBOARD (health-service GetFleetHealthDashboard): %d bots, PnL %s USD,"
                + " %d trades%s%n",
            health.getTotalBots(),
            health.getFleetPnlUsd(),
            health.getFleetTradeCount(),
            health.getMassSilence() ? ", MASS SILENCE" : ""));
    String healthRow = "  %-15s %4s %7s %7s %8s %4s %7s %12s %7s%n";
    out.append(
        String.format(
            healthRow,
            "GROUP",
            "BOTS",
            "HEALTHY",
            "WARNING",
            "CRITICAL",
            "DEAD",
            "UNKNOWN",
            "PNL_USD",
            "TRADES"));
    for (String group : new TreeSet<>(health.getGroupsMap().keySet())) {
      GroupHealth g = health.getGroupsMap().get(group);
      out.append(
          summary(
              healthRow,
              group,
              g.getTotalBots(),
              g.getStatusSummary(),
              g.getPnlUsd(),
              g.getTradeCount()));
    }
    out.append(
        summary(
            healthRow,
            "(fleet)",
            health.getTotalBots(),
            health.getStatusSummary(),
            health.getFleetPnlUsd(),
            health.getFleetTradeCount()));

    out.append(String.format("%nBOTS%n"));
    String botRow = "  %-20s %-14s %-9s %-14s %-8s %s%n";
    out.append(
        String.format(botRow, "NAME", "GROUP", "EXCHANGE", "STATUS", "VERSION", "CONNECTED"));
    for (Bot bot : bots) {
      out.append(
          String.format(
              botRow,
              bot.getName(),
              bot.getGroup(),
              bot.getExchange(),
              bot.getStatus().name().replace("BOT_STATUS_", "").toLowerCase(Locale.ROOT),
              bot.getVersion(),
              bot.getConnected() ? "yes" : "no"));
    }
    out.append(nextSteps(controlPort));
    return out.toString();
  }

  /** What to try, with the exact command lines. */
  static String nextSteps(int controlPort) {
    String control = "http://127.0.0.1:" + controlPort + "/control";
    return String.join(
        "\n",
        "",
        "TRY (in another terminal, from this directory):",
        "  export BOTFLEET_HOME=$PWD/.fleet/demo/fleetctl    # fleetctl signs as the demo's administrator",
        "  ./fleetctl pause --group perp-momentum            # only that group pauses; its orders are denied",
        "  ./fleetctl resume --group perp-momentum",
        "  ./fleetctl emergency-stop --bot spot-arb-02 --yes  # the kill switch for one bot",
        "  ./fleetctl keys rotate options-mm-01               # a new key, not one call refused",
        "  ./fleetctl health dashboard",
        "  curl -d 'kill spot-arb-01' "
            + control
            + "         # dead after 30 s, then "
            + GuideFleet.STANDBY
            + " takes over",
        "  curl -d 'drawdown perp-momentum-03 12' " + control + "  # a critical health alert",
        "  ./fleet logs fleet                                 # a service's log (fleet-sim: .fleet/logs/fleet-sim.log)",
        "");
  }

  private static String counts(String row, String group, StatusCounts c) {
    return String.format(
        Locale.ROOT,
        row,
        group,
        c.getActive(),
        c.getPaused(),
        c.getStopped(),
        c.getDead(),
        c.getPending(),
        c.getStandby());
  }

  private static String summary(
      String row, String group, int bots, StatusSummary s, String pnl, long trades) {
    return String.format(
        Locale.ROOT,
        row,
        group,
        bots,
        s.getHealthy(),
        s.getWarning(),
        s.getCritical(),
        s.getDead(),
        s.getUnknown(),
        pnl,
        trades);
  }
}
