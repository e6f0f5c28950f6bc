package io.botfleet.fleetctl.command;

import io.botfleet.billing.v1.CostCategory;
import io.botfleet.billing.v1.CostModel;
import io.botfleet.billing.v1.ListCostModelsRequest;
import io.botfleet.billing.v1.SetCostModelRequest;
import io.botfleet.billing.v1.SplitRule;
import io.botfleet.fleetctl.ExitCodes;
import io.botfleet.fleetctl.output.Table;
import io.botfleet.fleetctl.output.Values;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Recurring costs accrued daily (billing-service cost models). */
@Command(
    name = "models",
    header = "Recurring cost models (a host, a data plan) split across bots.",
    subcommands = {CostModelsCommand.ListModels.class, CostModelsCommand.Set.class},
    footerHeading = "%nExamples:%n",
    footer = {
      "  fleetctl costs models list",
      "  fleetctl costs models set 'Kaiko plan' --category market_data --monthly-usd 100 --group perp-momentum --start 2026-01-01"
    })
public final class CostModelsCommand extends GroupCommand {

  static final class Attach {
    @Option(names = "--bot", description = "Charged to one bot (name or id).")
    String bot;

    @Option(names = "--group", description = "Split among a group's bots.")
    String group;

    @Option(names = "--fleet", description = "Split among every bot.")
    boolean fleet;
  }

  @Command(
      name = "list",
      header = "Every cost model, by name.",
      footerHeading = "%nExample:%n",
      footer = "  fleetctl costs models list -o json")
  static final class ListModels extends BaseCommand {
    @Override
    protected int run(Session session) {
      var answer =
          session.clients().billing().listCostModels(ListCostModelsRequest.getDefaultInstance());
      session
          .out()
          .print(
              answer,
              () -> {
                Table table =
                    new Table(
                        "NAME",
                        "CATEGORY",
                        "MONTHLY USD",
                        "CHARGED TO",
                        "SPLIT",
                        "FROM",
                        "UNTIL",
                        "ID");
                for (CostModel m : answer.getModelsList()) {
                  String to =
                      switch (m.getAttachCase()) {
                        case BOT_ID -> "bot " + m.getBotId();
                        case GROUP -> "group " + m.getGroup();
                        case FLEET -> "fleet";
                        default -> "-";
                      };
                  table.row(
                      m.getName(),
                      Values.enumName(m.getCategory()),
                      m.getMonthlyAmountUsd(),
                      to,
                      Values.enumName(m.getSplit()),
                      m.getStartDate(),
                      m.getEndDate(),
                      m.getId());
                }
                table.print(session.out().out());
              });
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "set",
      header = "Create or replace (by name) a cost model, accrued daily from its start.",
      footerHeading = "%nExample:%n",
      footer =
          "  fleetctl costs models set 'c5.xlarge host 7' --category infrastructure --monthly-usd 204 --group spot-arb --split even --start 2026-01-01")
  static final class Set extends BaseCommand {
    @Parameters(paramLabel = "NAME")
    String name;

    @Option(
        names = "--category",
        required = true,
        description =
            "exchange_fees, api_fees, infrastructure, market_data, network, exchange_api_fees.")
    String category;

    @Option(names = "--monthly-usd", required = true, paramLabel = "USD")
    String monthlyUsd;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Attach attach;

    @Option(names = "--split", description = "even (default) or by_usage.")
    String split;

    @Option(names = "--start", required = true, paramLabel = "YYYY-MM-DD")
    String start;

    @Option(
        names = "--end",
        paramLabel = "YYYY-MM-DD",
        description = "Last day (default open ended).")
    String end;

    @Override
    protected int run(Session session) {
      CostModel.Builder model =
          CostModel.newBuilder()
              .setName(name)
              .setCategory(
                  CostCategory.valueOf(
                      Args.enumValue(CostCategory.getDescriptor(), category, "--category")))
              .setMonthlyAmountUsd(Args.decimal(monthlyUsd, "--monthly-usd"))
              .setStartDate(Args.day(start, "--start"));
      if (attach.bot != null) {
        model.setBotId(session.bots().id(attach.bot));
      } else if (attach.group != null) {
        model.setGroup(attach.group);
      } else {
        model.setFleet(true);
      }
      if (split != null)
        model.setSplit(
            SplitRule.valueOf(Args.enumValue(SplitRule.getDescriptor(), split, "--split")));
      if (end != null) model.setEndDate(Args.day(end, "--end"));
      session
          .out()
          .describe(
              session
                  .clients()
                  .billing()
                  .setCostModel(SetCostModelRequest.newBuilder().setModel(model).build())
                  .getModel());
      return ExitCodes.OK;
    }
  }
}
