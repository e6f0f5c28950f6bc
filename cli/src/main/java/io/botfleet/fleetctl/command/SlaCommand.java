package io.botfleet.fleetctl.command;

import io.botfleet.fleetctl.ExitCodes;
import io.botfleet.fleetctl.output.Table;
import io.botfleet.fleetctl.output.Values;
import io.botfleet.health.v1.GetSlaComplianceRequest;
import io.botfleet.health.v1.GetSlaReportRequest;
import io.botfleet.health.v1.SetSlaTargetsRequest;
import io.botfleet.health.v1.SlaReportEntry;
import io.botfleet.health.v1.SlaTargets;
import io.botfleet.health.v1.SlaWindow;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** SLA targets, compliance and the monthly report (health-service, chapter 7). */
@Command(
    name = "sla",
    header = "Set SLA targets, check a bot's compliance, the monthly report.",
    subcommands = {SlaCommand.Set.class, SlaCommand.Check.class, SlaCommand.Report.class},
    footerHeading = "%nExamples:%n",
    footer = {
      "  fleetctl sla set --group spot-arb --uptime-pct 99.5 --max-drawdown-pct 3 --min-trades-per-day 50 --max-latency-ms 200",
      "  fleetctl sla check spot-arb-01 --window 7d",
      "  fleetctl sla report --month 2026-01"
    })
public final class SlaCommand extends GroupCommand {

  static final class Subject {
    @Option(names = "--bot", description = "One bot (name or id).")
    String bot;

    @Option(names = "--group", description = "A group.")
    String group;
  }

  @Command(
      name = "set",
      header = "Set SLA targets for a bot or a group (a bot's own override its group's).",
      footerHeading = "%nExample:%n",
      footer =
          "  fleetctl sla set --group options-mm --uptime-pct 99.9 --max-drawdown-pct 5 --min-trades-per-day 100 --max-latency-ms 100")
  static final class Set extends BaseCommand {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Subject subject;

    @Option(names = "--uptime-pct", description = "Uptime target, percent (default 99.5).")
    double uptimePct = 99.5;

    @Option(names = "--max-drawdown-pct", description = "Largest drawdown, percent (default 5).")
    double maxDrawdownPct = 5.0;

    @Option(names = "--min-trades-per-day", description = "Fewest trades a day (default 10).")
    long minTradesPerDay = 10;

    @Option(names = "--max-latency-ms", description = "Largest p99 latency, ms (default 500).")
    double maxLatencyMs = 500;

    @Override
    protected int run(Session session) {
      SetSlaTargetsRequest.Builder request =
          SetSlaTargetsRequest.newBuilder()
              .setTargets(
                  SlaTargets.newBuilder()
                      .setUptimePct(uptimePct)
                      .setMaxDrawdownPct(maxDrawdownPct)
                      .setMinTradesPerDay(minTradesPerDay)
                      .setMaxLatencyMs(maxLatencyMs));
      if (subject.bot != null) {
        request.setBotId(session.bots().id(subject.bot));
      } else {
        request.setGroup(subject.group);
      }
      session
          .out()
          .describe(session.clients().health().setSlaTargets(request.build()).getTargets());
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "check",
      header = "A bot's SLA compliance over a window, with its error budget.",
      description = "Exits 0 whatever the outcome: the answer is the output.",
      footerHeading = "%nExample:%n",
      footer = "  fleetctl sla check spot-arb-01 --window 30d")
  static final class Check extends BaseCommand {
    @Parameters(paramLabel = "BOT", description = "Name or id.")
    String bot;

    @Option(names = "--window", description = "1h, 24h (default), 7d, 30d or calendar_month.")
    String window;

    @Override
    protected int run(Session session) {
      GetSlaComplianceRequest.Builder request =
          GetSlaComplianceRequest.newBuilder().setBotId(session.bots().id(bot));
      if (window != null) {
        request.setWindow(
            SlaWindow.valueOf(Args.enumValue(SlaWindow.getDescriptor(), window, "--window")));
      }
      session.out().describe(session.clients().health().getSlaCompliance(request.build()));
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "report",
      header = "The monthly SLA report: every bot with targets, measured, compliant or not.",
      footerHeading = "%nExample:%n",
      footer = "  fleetctl sla report --month 2026-01 -o json")
  static final class Report extends BaseCommand {
    @Option(names = "--month", description = "YYYY-MM (default: this month so far).")
    String month;

    @Override
    protected int run(Session session) {
      GetSlaReportRequest.Builder request = GetSlaReportRequest.newBuilder();
      if (month != null) request.setMonth(Args.month(month, "--month"));
      var answer = session.clients().health().getSlaReport(request.build());
      session
          .out()
          .print(
              answer,
              () -> {
                var out = session.out().out();
                out.printf(
                    "SLA report %s: %d bots with targets, %d compliant, %d in violation%n",
                    answer.getMonth(),
                    answer.getSummary().getTotalBotsWithSla(),
                    answer.getSummary().getCompliant(),
                    answer.getSummary().getInViolation());
                Table table =
                    new Table(
                        "BOT",
                        "GROUP",
                        "COMPLIANT",
                        "UPTIME %",
                        "MAX DD %",
                        "TRADES/DAY",
                        "P99 MS",
                        "RELIABILITY",
                        "VIOLATIONS");
                for (SlaReportEntry e : answer.getBotsList()) {
                  StringBuilder violations = new StringBuilder();
                  e.getViolationsList()
                      .forEach(
                          v ->
                              violations
                                  .append(violations.length() == 0 ? "" : "; ")
                                  .append(v.getMetric()));
                  var m = e.getMeasured();
                  table.row(
                      e.getBotName(),
                      e.getGroup(),
                      Values.yesNo(e.getCompliant()),
                      Values.decimal1(m.getUptimePct()),
                      Values.number(m.getMaxDrawdownPct()),
                      Values.decimal1(m.getTradesPerDay()),
                      Values.number(m.getP99LatencyMs()),
                      Values.decimal1(e.getReliabilityScore()),
                      violations);
                }
                table.print(out);
              });
      return ExitCodes.OK;
    }
  }
}
