package io.botfleet.fleetctl.command;

import io.botfleet.billing.v1.Budget;
import io.botfleet.billing.v1.BudgetAlert;
import io.botfleet.billing.v1.BudgetAlertKind;
import io.botfleet.billing.v1.ListBudgetAlertsRequest;
import io.botfleet.billing.v1.ListBudgetAlertsResponse;
import io.botfleet.billing.v1.SetBudgetRequest;
import io.botfleet.fleetctl.ExitCodes;
import io.botfleet.fleetctl.output.Table;
import io.botfleet.fleetctl.output.Values;
import java.time.Instant;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Monthly budgets and their alerts (billing-service). */
@Command(
    name = "budget",
    header = "Set a bot's or a group's monthly budget; list budget alerts.",
    subcommands = {BudgetCommand.Set.class, BudgetCommand.Alerts.class},
    footerHeading = "%nExamples:%n",
    footer = {
      "  fleetctl costs budget set --group spot-arb --monthly-usd 500",
      "  fleetctl costs budget alerts --month 2026-01"
    })
public final class BudgetCommand extends GroupCommand {

  static final class Subject {
    @Option(names = "--bot", description = "One bot (name or id).")
    String bot;

    @Option(names = "--group", description = "A group's default.")
    String group;
  }

  @Command(
      name = "set",
      header = "Set a monthly budget; optionally pause the bot when it is exceeded.",
      footerHeading = "%nExample:%n",
      footer =
          "  fleetctl costs budget set --bot options-mm-02 --monthly-usd 1500 --pause-when-exceeded")
  static final class Set extends BaseCommand {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Subject subject;

    @Option(
        names = "--monthly-usd",
        required = true,
        paramLabel = "USD",
        description = "Exact decimal.")
    String monthlyUsd;

    @Option(
        names = "--pause-when-exceeded",
        description = "Pause the bot through fleet-service when it exceeds the budget.")
    boolean pause;

    @Override
    protected int run(Session session) {
      Budget.Builder budget =
          Budget.newBuilder()
              .setMonthlyBudgetUsd(Args.decimal(monthlyUsd, "--monthly-usd"))
              .setPauseWhenExceeded(pause);
      if (subject.bot != null) {
        budget.setBotId(session.bots().id(subject.bot));
      } else {
        budget.setGroup(subject.group);
      }
      session
          .out()
          .describe(
              session
                  .clients()
                  .billing()
                  .setBudget(SetBudgetRequest.newBuilder().setBudget(budget).build())
                  .getBudget());
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "alerts",
      header = "Budget alerts (every page), newest first.",
      footerHeading = "%nExample:%n",
      footer = "  fleetctl costs budget alerts --kind exceeded --from -7d")
  static final class Alerts extends BaseCommand {
    @Option(names = "--bot", description = "Only this bot (name or id).")
    String bot;

    @Option(names = "--month", paramLabel = "YYYY-MM", description = "Only this month.")
    String month;

    @Option(names = "--kind", description = "warning or exceeded.")
    String kind;

    @Option(names = "--from", description = "Raised at or after (ISO, YYYY-MM-DD, -7d).")
    String from;

    @Override
    protected int run(Session session) {
      ListBudgetAlertsRequest.Builder request =
          ListBudgetAlertsRequest.newBuilder().setPageSize(1000);
      if (bot != null) request.setBotId(session.bots().id(bot));
      if (month != null) request.setPeriod(Args.month(month, "--month"));
      if (kind != null)
        request.setKind(
            BudgetAlertKind.valueOf(
                Args.enumValue(BudgetAlertKind.getDescriptor(), kind, "--kind")));
      if (from != null) request.setStartTime(Args.time(from, "--from", Instant.now()));
      ListBudgetAlertsResponse.Builder all = ListBudgetAlertsResponse.newBuilder();
      String token = "";
      do {
        var page =
            session.clients().billing().listBudgetAlerts(request.setPageToken(token).build());
        all.addAllAlerts(page.getAlertsList());
        token = page.getNextPageToken();
      } while (!token.isEmpty());
      var answer = all.build();
      session
          .out()
          .print(
              answer,
              () -> {
                Table table =
                    new Table(
                        "RAISED", "KIND", "BOT", "PERIOD", "BUDGET", "SPENT", "USED %", "PAUSED");
                for (BudgetAlert a : answer.getAlertsList()) {
                  table.row(
                      Values.time(a.getCreateTime()),
                      Values.enumName(a.getKind()),
                      a.getBotName(),
                      a.getPeriod(),
                      a.getBudgetUsd(),
                      a.getSpentUsd(),
                      a.getUtilizationPct(),
                      Values.yesNo(a.getBotPaused()));
                }
                table.print(session.out().out());
              });
      return ExitCodes.OK;
    }
  }
}
