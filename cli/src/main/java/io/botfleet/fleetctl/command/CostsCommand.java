package io.botfleet.fleetctl.command;

import io.botfleet.billing.v1.CalculateRoiRequest;
import io.botfleet.billing.v1.CostCategory;
import io.botfleet.billing.v1.GetBotCostSummaryRequest;
import io.botfleet.billing.v1.GetFleetCostSummaryRequest;
import io.botfleet.billing.v1.GetRoiRankingRequest;
import io.botfleet.billing.v1.Period;
import io.botfleet.billing.v1.RecordCostRequest;
import io.botfleet.billing.v1.RecordCostResponse;
import io.botfleet.billing.v1.Roi;
import io.botfleet.fleetctl.ExitCodes;
import io.botfleet.fleetctl.output.Table;
import io.botfleet.fleetctl.output.Values;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Cost per bot (billing-service, chapter 8). Money is exact decimals, printed as given. */
@Command(
    name = "costs",
    header = "Record costs; summaries, ROI, budgets, cost models, CSV export, API usage.",
    subcommands = {
      CostsCommand.Record.class,
      CostsCommand.Summary.class,
      CostsCommand.RoiCommand.class,
      BudgetCommand.class,
      CostModelsCommand.class,
      CostsExportCommand.class,
      ApiUsageCommand.class
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  fleetctl costs record spot-arb-01 --category infrastructure --amount 6.80 --description 'c5.large share'",
      "  fleetctl costs summary --month 2026-01",
      "  fleetctl costs export --month 2026-01 --file costs-2026-01.csv"
    })
public final class CostsCommand extends GroupCommand {

  /** --day | --month | --from/--to. */
  static final class PeriodOptions {
    @Option(names = "--day", paramLabel = "YYYY-MM-DD", description = "One day.")
    String day;

    @Option(
        names = "--month",
        paramLabel = "YYYY-MM",
        description = "One month (default: this month).")
    String month;

    @Option(names = "--from", paramLabel = "YYYY-MM-DD", description = "First day of a range.")
    String from;

    @Option(
        names = "--to",
        paramLabel = "YYYY-MM-DD",
        description = "Last day of a range (inclusive).")
    String to;

    Period toProto() {
      return Args.period(day, month, from, to);
    }
  }

  static String categories() {
    return "exchange_fees, api_fees, infrastructure, market_data, network, exchange_api_fees";
  }

  @Command(
      name = "record",
      header = "Record a cost entry for a bot (idempotent by --entry-key); its budget is checked.",
      footerHeading = "%nExample:%n",
      footer =
          "  fleetctl costs record perp-momentum-01 --category market_data --amount 3.33 --description 'Kaiko plan share' --date 2026-01-14")
  static final class Record extends BaseCommand {
    @Parameters(paramLabel = "BOT", description = "Name or id.")
    String bot;

    @Option(
        names = "--category",
        required = true,
        description =
            "One of: exchange_fees, api_fees, infrastructure, market_data, network, exchange_api_fees.")
    String category;

    @Option(
        names = "--amount",
        required = true,
        paramLabel = "USD",
        description = "Exact decimal, > 0 (negative: a refund, exchange_fees only).")
    String amount;

    @Option(names = "--description", required = true, description = "What it is.")
    String description;

    @Option(
        names = "--date",
        paramLabel = "YYYY-MM-DD",
        description = "The day incurred (default today, UTC).")
    String date;

    @Option(
        names = "--entry-key",
        paramLabel = "KEY",
        description =
            "Idempotency key (default: a new UUID, printed on stderr). Retry with the same key: it is booked once.")
    String entryKey;

    @Override
    protected int run(Session session) {
      String key = entryKey != null ? entryKey : UUID.randomUUID().toString();
      RecordCostRequest.Builder request =
          RecordCostRequest.newBuilder()
              .setBotId(session.bots().id(bot))
              .setCategory(
                  CostCategory.valueOf(
                      Args.enumValue(CostCategory.getDescriptor(), category, "--category")))
              .setAmountUsd(Args.decimal(amount, "--amount"))
              .setDescription(description)
              .setEntryKey(key);
      if (date != null) request.setIncurredDate(Args.day(date, "--date"));
      if (entryKey == null) {
        session.note("entry key: " + key + " (retry with --entry-key " + key + " to book it once)");
      }
      RecordCostResponse answer = session.clients().billing().recordCost(request.build());
      session
          .out()
          .print(
              answer,
              () -> {
                var e = answer.getEntry();
                session
                    .out()
                    .out()
                    .printf(
                        "Booked %s USD %s to %s on %s (entry %s).%n",
                        e.getAmountUsd(),
                        Values.enumName(e.getCategory()),
                        Values.text(e.getBotName().isEmpty() ? e.getBotId() : e.getBotName()),
                        e.getIncurredDate(),
                        e.getId());
                answer
                    .getAlertsList()
                    .forEach(
                        a ->
                            session
                                .out()
                                .out()
                                .printf(
                                    "BUDGET %s: %s spent %s of %s USD (%s%%)%s%n",
                                    Values.enumName(a.getKind()).toUpperCase(),
                                    a.getBotName(),
                                    a.getSpentUsd(),
                                    a.getBudgetUsd(),
                                    a.getUtilizationPct(),
                                    a.getBotPaused() ? " — bot paused" : ""));
              });
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "summary",
      header = "Costs of a bot, or of the fleet by bot, category, group, strategy and exchange.",
      footerHeading = "%nExamples:%n",
      footer = {
        "  fleetctl costs summary spot-arb-01 --month 2026-01",
        "  fleetctl costs summary --from 2026-01-01 --to 2026-01-07"
      })
  static final class Summary extends BaseCommand {
    @Parameters(
        arity = "0..1",
        paramLabel = "BOT",
        description = "A bot (name or id); none for the fleet.")
    String bot;

    @picocli.CommandLine.Mixin PeriodOptions period;

    @Override
    protected int run(Session session) {
      Period p = period.toProto();
      if (bot != null) {
        GetBotCostSummaryRequest.Builder request =
            GetBotCostSummaryRequest.newBuilder().setBotId(session.bots().id(bot));
        if (p != null) request.setPeriod(p);
        var answer = session.clients().billing().getBotCostSummary(request.build());
        session
            .out()
            .print(
                answer,
                () -> {
                  var out = session.out().out();
                  out.printf(
                      "%s: %s USD%s%n",
                      Values.text(
                          answer.getBotName().isEmpty() ? answer.getBotId() : answer.getBotName()),
                      answer.getTotalCostUsd(),
                      answer.getBudgetUsd().isEmpty()
                          ? ""
                          : ", budget "
                              + answer.getBudgetUsd()
                              + " USD ("
                              + answer.getBudgetUtilizationPct()
                              + "% used this month)");
                  amounts("CATEGORY", answer.getCostsByCategoryMap()).print(out);
                });
        return ExitCodes.OK;
      }
      GetFleetCostSummaryRequest.Builder request = GetFleetCostSummaryRequest.newBuilder();
      if (p != null) request.setPeriod(p);
      var answer = session.clients().billing().getFleetCostSummary(request.build());
      session
          .out()
          .print(
              answer,
              () -> {
                var out = session.out().out();
                out.printf("Fleet: %s USD%n%n", answer.getTotalFleetCostUsd());
                Table bots = new Table("BOT", "ID", "USD");
                answer
                    .getCostsByBotList()
                    .forEach(b -> bots.row(b.getBotName(), b.getBotId(), b.getTotalCostUsd()));
                bots.print(out);
                for (var part :
                    Map.of(
                            "CATEGORY",
                            answer.getCostsByCategoryMap(),
                            "GROUP",
                            answer.getCostsByGroupMap(),
                            "STRATEGY",
                            answer.getCostsByStrategyMap(),
                            "EXCHANGE",
                            answer.getCostsByExchangeMap())
                        .entrySet()
                        .stream()
                        .sorted(Map.Entry.comparingByKey())
                        .toList()) {
                  out.println();
                  amounts(part.getKey(), part.getValue()).print(out);
                }
              });
      return ExitCodes.OK;
    }
  }

  static Table amounts(String what, Map<String, String> amounts) {
    Table table = new Table(what, "USD");
    new TreeMap<>(amounts).forEach(table::row);
    return table;
  }

  @Command(
      name = "roi",
      header = "ROI after costs of a bot, or the fleet's ranking with the recommendation per bot.",
      footerHeading = "%nExamples:%n",
      footer = {"  fleetctl costs roi", "  fleetctl costs roi spot-arb-01 --month 2026-01"})
  static final class RoiCommand extends BaseCommand {
    @Parameters(
        arity = "0..1",
        paramLabel = "BOT",
        description = "A bot (name or id); none for the ranking.")
    String bot;

    @picocli.CommandLine.Mixin PeriodOptions period;

    @Override
    protected int run(Session session) {
      Period p = period.toProto();
      if (bot != null) {
        CalculateRoiRequest.Builder request =
            CalculateRoiRequest.newBuilder().setBotId(session.bots().id(bot));
        if (p != null) request.setPeriod(p);
        var answer = session.clients().billing().calculateRoi(request.build());
        session
            .out()
            .print(
                answer,
                () -> roiTable(java.util.List.of(answer.getRoi())).print(session.out().out()));
        return ExitCodes.OK;
      }
      GetRoiRankingRequest.Builder request = GetRoiRankingRequest.newBuilder();
      if (p != null) request.setPeriod(p);
      var answer = session.clients().billing().getRoiRanking(request.build());
      session
          .out()
          .print(answer, () -> roiTable(answer.getRankingList()).print(session.out().out()));
      return ExitCodes.OK;
    }
  }

  static Table roiTable(java.util.List<Roi> rois) {
    Table table =
        new Table("BOT", "GROUP", "GROSS PNL", "COST", "NET PNL", "ROI %", "RECOMMENDATION");
    for (Roi r : rois) {
      table.row(
          r.getBotName().isEmpty() ? r.getBotId() : r.getBotName(),
          r.getGroup(),
          r.getGrossPnlUsd(),
          r.getTotalCostUsd(),
          r.getNetPnlUsd(),
          r.getRoiPct(),
          Values.enumName(r.getRecommendation()));
    }
    return table;
  }
}
