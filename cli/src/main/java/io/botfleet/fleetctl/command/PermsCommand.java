package io.botfleet.fleetctl.command;

import io.botfleet.fleetctl.ExitCodes;
import io.botfleet.fleetctl.output.Table;
import io.botfleet.fleetctl.output.Values;
import io.botfleet.permission.v1.AssignPermissionsRequest;
import io.botfleet.permission.v1.CheckContext;
import io.botfleet.permission.v1.CheckPermissionRequest;
import io.botfleet.permission.v1.CheckPermissionsRequest;
import io.botfleet.permission.v1.CheckPermissionsResponse;
import io.botfleet.permission.v1.GetFleetPermissionSummaryRequest;
import io.botfleet.permission.v1.GetPermissionsRequest;
import io.botfleet.permission.v1.ListTiersRequest;
import io.botfleet.permission.v1.RemovePermissionsRequest;
import io.botfleet.permission.v1.SuspendBotRequest;
import io.botfleet.permission.v1.SuspendedBot;
import io.botfleet.permission.v1.SuspensionMode;
import io.botfleet.permission.v1.Tier;
import io.botfleet.permission.v1.TierDefinition;
import io.botfleet.permission.v1.UnsuspendBotRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Least privilege per bot (permission-service). */
@Command(
    name = "perms",
    header = "Tiers, assignments, checks, escalations, suspensions, the fleet summary.",
    subcommands = {
      PermsCommand.Tiers.class,
      PermsCommand.Assign.class,
      PermsCommand.Get.class,
      PermsCommand.Remove.class,
      PermsCommand.Check.class,
      EscalationCommands.Escalate.class,
      EscalationCommands.Approve.class,
      EscalationCommands.Deny.class,
      EscalationCommands.Escalations.class,
      PermsCommand.Suspend.class,
      PermsCommand.Unsuspend.class,
      PermsCommand.Summary.class
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  fleetctl perms get spot-arb-01",
      "  fleetctl perms check spot-arb-01 place_order --pair BTC/USDT --order-size-usd 6000"
    })
public final class PermsCommand extends GroupCommand {

  @Command(
      name = "tiers",
      header = "The four tiers, their permissions and exchange mappings.",
      footerHeading = "%nExample:%n",
      footer = "  fleetctl perms tiers -o json")
  static final class Tiers extends BaseCommand {
    @Override
    protected int run(Session session) {
      var answer = session.clients().permission().listTiers(ListTiersRequest.getDefaultInstance());
      session
          .out()
          .print(
              answer,
              () -> {
                Table table = new Table("TIER", "PERMISSIONS", "EXCHANGES");
                for (TierDefinition t : answer.getTiersList()) {
                  List<String> exchanges = new ArrayList<>();
                  t.getExchangeMappingsList().forEach(m -> exchanges.add(m.getExchange()));
                  table.row(
                      t.getName(),
                      String.join(",", t.getPermissionsList()),
                      String.join(",", exchanges));
                }
                table.print(session.out().out());
              });
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "assign",
      header = "Assign (or replace) a bot's tier and restrictions on its exchange (admins).",
      footerHeading = "%nExample:%n",
      footer =
          "  fleetctl perms assign bot-3f9a1c2b7d4e8f01 --name spot-arb-01 --group spot-arb"
              + " --exchange binance --tier trade --max-order-size-usd 5000 --allowed-pair BTC/USDT")
  static final class Assign extends BaseCommand {
    @Parameters(paramLabel = "BOT", description = "Name or id.")
    String bot;

    @Option(names = "--tier", required = true, description = "read_only, trade, withdraw, admin.")
    String tier;

    @Option(
        names = "--exchange",
        required = true,
        description = "The exchange; must have a mapping for the tier.")
    String exchange;

    @Option(
        names = "--name",
        description = "The bot's name (default: the name given, or from fleet-service).")
    String botName;

    @Option(names = "--group", description = "The bot's group (default: from fleet-service).")
    String group;

    @Option(names = "--role", description = "trading_bot (default) or withdrawal_agent.")
    String role;

    @Mixin RestrictionOptions restrictions;

    @Mixin RequestIdOption requestId;

    @Override
    protected int run(Session session) {
      String id = session.bots().id(bot);
      String name =
          botName != null ? botName : io.botfleet.fleetctl.grpc.BotRefs.isId(bot) ? null : bot;
      String botGroup = group;
      if (name == null || botGroup == null) {
        var known = session.bots().get(id);
        name = name == null ? known.getName() : name;
        botGroup = botGroup == null ? known.getGroup() : botGroup;
      }
      AssignPermissionsRequest.Builder request =
          AssignPermissionsRequest.newBuilder()
              .setAgentId(id)
              .setBotName(name)
              .setExchange(exchange)
              .setTier(Tier.valueOf(Args.enumValue(Tier.getDescriptor(), tier, "--tier")))
              .setRestrictions(restrictions.toProto())
              .setRequestId(requestId(session, requestId));
      if (botGroup != null) request.setGroup(botGroup);
      if (role != null) request.setRole(role);
      session
          .out()
          .describe(
              session.clients().permission().assignPermissions(request.build()).getAssignment());
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "get",
      header = "A bot's permissions: tier, permissions, exchange config, restrictions, suspension.",
      footerHeading = "%nExample:%n",
      footer = "  fleetctl perms get spot-arb-01")
  static final class Get extends BaseCommand {
    @Parameters(paramLabel = "BOT", description = "Name or id.")
    String bot;

    @Override
    protected int run(Session session) {
      session
          .out()
          .describe(
              session
                  .clients()
                  .permission()
                  .getPermissions(
                      GetPermissionsRequest.newBuilder().setAgentId(session.bots().id(bot)).build())
                  .getAssignment());
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "remove",
      header = "Remove a bot's permissions: every later check is denied (admins).",
      footerHeading = "%nExample:%n",
      footer = "  fleetctl perms remove spot-arb-03 --reason decommissioned --yes")
  static final class Remove extends BaseCommand {
    @Parameters(paramLabel = "BOT", description = "Name or id.")
    String bot;

    @Option(names = "--reason", required = true, description = "Why.")
    String reason;

    @Mixin ConfirmOption confirm;

    @Override
    protected int run(Session session) {
      String id = session.bots().id(bot);
      confirm(session, confirm, "Remove every permission of " + bot + "?");
      var answer =
          session
              .clients()
              .permission()
              .removePermissions(
                  RemovePermissionsRequest.newBuilder().setAgentId(id).setReason(reason).build());
      session
          .out()
          .print(
              answer,
              () ->
                  session
                      .out()
                      .out()
                      .println(
                          answer.getRemoved()
                              ? "Removed."
                              : "It had no permissions: nothing to remove."));
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "check",
      header =
          "Would a bot be allowed an action (or several)? Allow/deny, the rule and the reason.",
      description = "Exits 0 either way: the answer is the output (`-o json` for scripts).",
      footerHeading = "%nExamples:%n",
      footer = {
        "  fleetctl perms check spot-arb-01 place_order --exchange binance --pair BTC/USDT --order-size-usd 6000",
        "  fleetctl perms check options-mm-01 place_order cancel_order withdraw_funds"
      })
  static final class Check extends BaseCommand {
    @Parameters(index = "0", paramLabel = "BOT", description = "Name or id.")
    String bot;

    @Parameters(
        index = "1..*",
        arity = "1..*",
        paramLabel = "ACTION",
        description = "Abstract permissions, e.g. place_order.")
    List<String> actions;

    @Option(names = "--exchange")
    String exchange;

    @Option(names = "--pair")
    String pair;

    @Option(names = "--instrument")
    String instrument;

    @Option(names = "--order-size-usd")
    String orderSizeUsd;

    @Option(names = "--reduce-only")
    boolean reduceOnly;

    @Option(names = "--position-after-usd")
    String positionAfterUsd;

    @Option(names = "--delta-after")
    String deltaAfter;

    @Override
    protected int run(Session session) {
      String id = session.bots().id(bot);
      CheckContext.Builder context = CheckContext.newBuilder().setReduceOnly(reduceOnly);
      if (exchange != null) context.setExchange(exchange);
      if (pair != null) context.setPair(pair);
      if (instrument != null) context.setInstrument(instrument);
      if (orderSizeUsd != null)
        context.setOrderSizeUsd(Args.decimal(orderSizeUsd, "--order-size-usd"));
      if (positionAfterUsd != null)
        context.setPositionAfterUsd(Args.decimal(positionAfterUsd, "--position-after-usd"));
      if (deltaAfter != null) context.setDeltaAfter(Args.decimal(deltaAfter, "--delta-after"));
      CheckPermissionsRequest.Builder request = CheckPermissionsRequest.newBuilder();
      for (String action : actions) {
        request.addChecks(
            CheckPermissionRequest.newBuilder()
                .setAgentId(id)
                .setAction(action)
                .setContext(context));
      }
      CheckPermissionsResponse answer;
      if (actions.size() == 1) {
        var one = session.clients().permission().checkPermission(request.getChecks(0));
        answer = CheckPermissionsResponse.newBuilder().addResults(one).build();
        if (session.out().json()) {
          session.out().print(one, () -> {});
          return ExitCodes.OK;
        }
      } else {
        answer = session.clients().permission().checkPermissions(request.build());
      }
      session
          .out()
          .print(
              answer,
              () -> {
                Table table = new Table("ACTION", "DECISION", "RULE", "REASON");
                for (int i = 0; i < answer.getResultsCount(); i++) {
                  var r = answer.getResults(i);
                  table.row(
                      actions.get(i),
                      r.getAllowed() ? "allow" : "DENY",
                      Values.enumName(r.getRule()),
                      r.getReason());
                }
                table.print(session.out().out());
              });
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "suspend",
      header = "Suspend bots in permission-service only (pause or stop enforcement, no command).",
      description = "Normally `fleetctl pause`/`emergency-stop` do this together with the command.",
      footerHeading = "%nExample:%n",
      footer =
          "  fleetctl perms suspend spot-arb-01 --mode stopped --reason 'bot ignores commands'")
  static final class Suspend extends BaseCommand {
    @Parameters(arity = "1..*", paramLabel = "BOT", description = "Names or ids.")
    List<String> bots;

    @Option(names = "--mode", required = true, description = "paused or stopped.")
    String mode;

    @Option(names = "--reason", required = true, description = "Why.")
    String reason;

    @Override
    protected int run(Session session) {
      var answer =
          session
              .clients()
              .permission()
              .suspendBot(
                  SuspendBotRequest.newBuilder()
                      .addAllAgentIds(session.bots().ids(bots))
                      .setMode(
                          SuspensionMode.valueOf(
                              Args.enumValue(SuspensionMode.getDescriptor(), mode, "--mode")))
                      .setReason(reason)
                      .build());
      session
          .out()
          .print(
              answer,
              () -> {
                session.out().out().printf("%d suspended.%n", answer.getSuspendedCount());
                if (answer.getUnknownAgentIdsCount() > 0) {
                  session
                      .out()
                      .out()
                      .println(
                          "without permissions here: "
                              + String.join(", ", answer.getUnknownAgentIdsList()));
                }
              });
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "unsuspend",
      header = "Lift a suspension (--mode paused lifts pauses only; stopped lifts both).",
      footerHeading = "%nExample:%n",
      footer =
          "  fleetctl perms unsuspend spot-arb-01 --mode stopped --reason 'incident closed' --yes")
  static final class Unsuspend extends BaseCommand {
    @Parameters(arity = "1..*", paramLabel = "BOT", description = "Names or ids.")
    List<String> bots;

    @Option(names = "--mode", description = "paused (only pauses) or stopped (both; the default).")
    String mode;

    @Option(names = "--reason", required = true, description = "Why.")
    String reason;

    @Mixin ConfirmOption confirm;

    @Override
    protected int run(Session session) {
      UnsuspendBotRequest.Builder request =
          UnsuspendBotRequest.newBuilder()
              .addAllAgentIds(session.bots().ids(bots))
              .setReason(reason);
      if (mode != null)
        request.setMode(
            SuspensionMode.valueOf(Args.enumValue(SuspensionMode.getDescriptor(), mode, "--mode")));
      if (request.getMode() != SuspensionMode.SUSPENSION_MODE_PAUSED) {
        confirm(session, confirm, "Lift emergency stops too for " + String.join(", ", bots) + "?");
      }
      var answer = session.clients().permission().unsuspendBot(request.build());
      session
          .out()
          .print(
              answer,
              () -> session.out().out().printf("%d unsuspended.%n", answer.getUnsuspendedCount()));
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "summary",
      header = "The guide's fleet summary: tier counts, who holds withdraw/admin, suspended bots.",
      footerHeading = "%nExample:%n",
      footer = "  fleetctl perms summary")
  static final class Summary extends BaseCommand {
    @Override
    protected int run(Session session) {
      var answer =
          session
              .clients()
              .permission()
              .getFleetPermissionSummary(GetFleetPermissionSummaryRequest.getDefaultInstance());
      session
          .out()
          .print(
              answer,
              () -> {
                var out = session.out().out();
                out.printf(
                    "%d bots with permissions (at %s)%n",
                    answer.getTotalBots(), Values.time(answer.getCreateTime()));
                Table tiers = new Table("TIER", "BOTS");
                new TreeMap<>(answer.getTierCountsMap()).forEach(tiers::row);
                tiers.print(out);
                out.println(
                    "withdraw enabled: "
                        + (answer.getWithdrawEnabledCount() == 0
                            ? "none"
                            : String.join(", ", answer.getWithdrawEnabledList())));
                out.println(
                    "admin enabled:    "
                        + (answer.getAdminEnabledCount() == 0
                            ? "none"
                            : String.join(", ", answer.getAdminEnabledList())));
                if (answer.getSuspendedCount() > 0) {
                  out.println();
                  Table suspended = new Table("SUSPENDED", "ID", "MODE", "SINCE");
                  for (SuspendedBot s : answer.getSuspendedList()) {
                    suspended.row(
                        s.getBotName(),
                        s.getAgentId(),
                        Values.enumName(s.getMode()),
                        Values.time(s.getSuspendTime()));
                  }
                  suspended.print(out);
                }
              });
      return ExitCodes.OK;
    }
  }
}
