package io.botfleet.fleetctl.command;

import io.botfleet.fleetctl.ExitCodes;
import io.botfleet.fleetctl.output.Table;
import io.botfleet.fleetctl.output.Values;
import io.botfleet.health.v1.Alert;
import io.botfleet.health.v1.AlertSeverity;
import io.botfleet.health.v1.AlertState;
import io.botfleet.health.v1.GetBotHealthRequest;
import io.botfleet.health.v1.GetDailyStatsRequest;
import io.botfleet.health.v1.GetFleetHealthDashboardRequest;
import io.botfleet.health.v1.GetHeartbeatHistoryRequest;
import io.botfleet.health.v1.GroupHealth;
import io.botfleet.health.v1.HeartbeatPoint;
import io.botfleet.health.v1.ListAlertsRequest;
import io.botfleet.health.v1.ListAlertsResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Live health of the fleet (health-service). */
@Command(
    name = "health",
    header = "The health dashboard, one bot's health and history, alerts, policies, a live watch.",
    subcommands = {
      HealthCommand.Dashboard.class,
      HealthCommand.BotHealth.class,
      HealthCommand.History.class,
      HealthCommand.Daily.class,
      HealthCommand.Alerts.class,
      HealthPolicyCommand.class,
      HealthWatchCommand.class
    },
    footerHeading = "%nExamples:%n",
    footer = {"  fleetctl health dashboard", "  fleetctl health watch --group spot-arb"})
public final class HealthCommand extends GroupCommand {

  @Command(
      name = "dashboard",
      header = "The guide's dashboard: counts per status, per group, PnL and trades.",
      footerHeading = "%nExample:%n",
      footer = "  fleetctl health dashboard -o json")
  static final class Dashboard extends BaseCommand {
    @Override
    protected int run(Session session) {
      var answer =
          session
              .clients()
              .health()
              .getFleetHealthDashboard(GetFleetHealthDashboardRequest.getDefaultInstance());
      session
          .out()
          .print(
              answer,
              () -> {
                var out = session.out().out();
                out.printf(
                    "%d bots tracked (at %s)%n",
                    answer.getTotalBots(), Values.time(answer.getTimestamp()));
                groupTable(answer.getGroupsMap(), answer).print(out);
                StatusCommand.printHealth(out, answer);
              });
      return ExitCodes.OK;
    }
  }

  static Table groupTable(
      Map<String, GroupHealth> groups, io.botfleet.health.v1.GetFleetHealthDashboardResponse all) {
    Table table =
        new Table(
            "GROUP",
            "BOTS",
            "HEALTHY",
            "WARNING",
            "CRITICAL",
            "DEAD",
            "UNKNOWN",
            "PNL USD",
            "TRADES");
    for (var g : new TreeMap<>(groups).entrySet()) {
      var s = g.getValue().getStatusSummary();
      table.row(
          g.getKey(),
          g.getValue().getTotalBots(),
          s.getHealthy(),
          s.getWarning(),
          s.getCritical(),
          s.getDead(),
          s.getUnknown(),
          g.getValue().getPnlUsd(),
          g.getValue().getTradeCount());
    }
    var s = all.getStatusSummary();
    table.row(
        "(all)",
        all.getTotalBots(),
        s.getHealthy(),
        s.getWarning(),
        s.getCritical(),
        s.getDead(),
        s.getUnknown(),
        all.getFleetPnlUsd(),
        all.getFleetTradeCount());
    return table;
  }

  @Command(
      name = "bot",
      header = "One bot's health: status, issues, latest heartbeat, dead-line, reliability.",
      footerHeading = "%nExample:%n",
      footer = "  fleetctl health bot perp-momentum-02")
  static final class BotHealth extends BaseCommand {
    @Parameters(paramLabel = "BOT", description = "Name or id.")
    String bot;

    @Override
    protected int run(Session session) {
      session
          .out()
          .describe(
              session
                  .clients()
                  .health()
                  .getBotHealth(
                      GetBotHealthRequest.newBuilder().setBotId(session.bots().id(bot)).build())
                  .getHealth());
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "history",
      header = "A bot's heartbeats over a time range (downsampled to --points).",
      footerHeading = "%nExample:%n",
      footer = "  fleetctl health history spot-arb-01 --from -6h --points 24")
  static final class History extends BaseCommand {
    @Parameters(paramLabel = "BOT", description = "Name or id.")
    String bot;

    @Option(names = "--from", description = "Start: ISO time, YYYY-MM-DD, or -1h (default -1h).")
    String from = "-1h";

    @Option(names = "--to", description = "End (default now).")
    String to = "now";

    @Option(names = "--points", description = "At most this many points (1 to 10000, default 500).")
    int points = 500;

    @Override
    protected int run(Session session) {
      Instant now = Instant.now();
      var answer =
          session
              .clients()
              .health()
              .getHeartbeatHistory(
                  GetHeartbeatHistoryRequest.newBuilder()
                      .setBotId(session.bots().id(bot))
                      .setStartTime(Args.time(from, "--from", now))
                      .setEndTime(Args.time(to, "--to", now))
                      .setMaxPoints(points)
                      .build());
      session
          .out()
          .print(
              answer,
              () -> {
                Table table =
                    new Table(
                        "TIME",
                        "N",
                        "STATUS",
                        "VERSION",
                        "PNL USD",
                        "DRAWDOWN %",
                        "LATENCY MS",
                        "TRADES",
                        "ERRORS",
                        "POS",
                        "ORDERS",
                        "MEM MB",
                        "CPU %");
                for (HeartbeatPoint p : answer.getPointsList()) {
                  var h = p.getHeartbeat();
                  table.row(
                      Values.time(p.getTime()),
                      p.getSamples(),
                      Values.enumName(p.getStatus()),
                      h.getVersion(),
                      h.getPnlUsd(),
                      Values.number(h.getDrawdownPct()),
                      Values.number(h.getHeartbeatLatencyMs()),
                      h.getTradeCount(),
                      h.getErrorCount(),
                      h.getOpenPositions(),
                      h.getOpenOrders(),
                      Values.number(h.getMemoryMb()),
                      Values.number(h.getCpuPct()));
                }
                table.print(session.out().out());
                session
                    .out()
                    .out()
                    .println("resolution: " + Values.duration(answer.getResolution()));
              });
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "daily",
      header = "Per bot and day (UTC): last PnL, trades, errors, uptime, max drawdown.",
      footerHeading = "%nExample:%n",
      footer = "  fleetctl health daily --from 2026-01-01 --to 2026-01-31 --bot spot-arb-01")
  static final class Daily extends BaseCommand {
    @Option(names = "--bot", description = "Only these bots (repeat); default every tracked bot.")
    List<String> bots = new ArrayList<>();

    @Option(names = "--from", required = true, description = "First day, YYYY-MM-DD.")
    String from;

    @Option(names = "--to", required = true, description = "Last day, YYYY-MM-DD (inclusive).")
    String to;

    @Override
    protected int run(Session session) {
      var answer =
          session
              .clients()
              .health()
              .getDailyStats(
                  GetDailyStatsRequest.newBuilder()
                      .addAllBotIds(session.bots().ids(bots))
                      .setStartDate(Args.day(from, "--from"))
                      .setEndDate(Args.day(to, "--to"))
                      .build());
      session
          .out()
          .print(
              answer,
              () -> {
                Table table =
                    new Table(
                        "DATE", "BOT", "PNL USD", "TRADES", "ERRORS", "UPTIME %", "MAX DRAWDOWN %");
                answer
                    .getStatsList()
                    .forEach(
                        d ->
                            table.row(
                                d.getDate(),
                                d.getBotId(),
                                d.getPnlUsd(),
                                d.getTradeCount(),
                                d.getErrorCount(),
                                Values.decimal1(d.getUptimePct()),
                                Values.number(d.getMaxDrawdownPct())));
                table.print(session.out().out());
              });
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "alerts",
      header = "Alerts (every page), newest first.",
      footerHeading = "%nExample:%n",
      footer = "  fleetctl health alerts --state open --severity critical")
  static final class Alerts extends BaseCommand {
    @Option(names = "--bot", description = "Only this bot (name or id).")
    String bot;

    @Option(names = "--group", description = "Only this group.")
    String group;

    @Option(names = "--severity", description = "info, warning or critical.")
    String severity;

    @Option(names = "--state", description = "open or resolved.")
    String state;

    @Option(names = "--from", description = "Raised at or after (ISO, YYYY-MM-DD, -24h).")
    String from;

    @Option(names = "--to", description = "Raised before.")
    String to;

    @Option(names = "--limit", description = "At most this many (default: all).")
    Integer limit;

    @Override
    protected int run(Session session) {
      Instant now = Instant.now();
      ListAlertsRequest.Builder request =
          ListAlertsRequest.newBuilder().setPageSize(limit == null ? 1000 : Math.min(limit, 1000));
      if (bot != null) request.setBotId(session.bots().id(bot));
      if (group != null) request.setGroup(group);
      if (severity != null)
        request.setSeverity(
            AlertSeverity.valueOf(
                Args.enumValue(AlertSeverity.getDescriptor(), severity, "--severity")));
      if (state != null)
        request.setState(
            AlertState.valueOf(Args.enumValue(AlertState.getDescriptor(), state, "--state")));
      if (from != null) request.setStartTime(Args.time(from, "--from", now));
      if (to != null) request.setEndTime(Args.time(to, "--to", now));
      ListAlertsResponse.Builder all = ListAlertsResponse.newBuilder();
      String token = "";
      do {
        var page = session.clients().health().listAlerts(request.setPageToken(token).build());
        all.addAllAlerts(page.getAlertsList());
        token = page.getNextPageToken();
      } while (!token.isEmpty() && (limit == null || all.getAlertsCount() < limit));
      if (limit != null && all.getAlertsCount() > limit) {
        List<Alert> kept = new ArrayList<>(all.getAlertsList().subList(0, limit));
        all.clearAlerts().addAllAlerts(kept);
      }
      var answer = all.build();
      session
          .out()
          .print(
              answer,
              () -> {
                Table table =
                    new Table("RAISED", "SEVERITY", "STATE", "KIND", "BOT", "GROUP", "MESSAGE");
                for (Alert a : answer.getAlertsList()) {
                  table.row(
                      Values.time(a.getRaiseTime()),
                      Values.enumName(a.getSeverity()),
                      Values.enumName(a.getState()),
                      a.getKind(),
                      a.getBotName(),
                      a.getGroup(),
                      a.getMessage());
                }
                table.print(session.out().out());
              });
      return ExitCodes.OK;
    }
  }
}
