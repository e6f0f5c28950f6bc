package io.botfleet.fleetctl.command;

import io.botfleet.fleet.v1.Bot;
import io.botfleet.fleet.v1.BotStatus;
import io.botfleet.fleet.v1.DeregisterBotRequest;
import io.botfleet.fleet.v1.DeregisterBotResponse;
import io.botfleet.fleet.v1.ListBotsRequest;
import io.botfleet.fleet.v1.ListBotsResponse;
import io.botfleet.fleet.v1.RegisterBotRequest;
import io.botfleet.fleet.v1.RegisterBotResponse;
import io.botfleet.fleet.v1.RevokeBotRequest;
import io.botfleet.fleet.v1.RevokeBotResponse;
import io.botfleet.fleetctl.ExitCodes;
import io.botfleet.fleetctl.output.Table;
import io.botfleet.fleetctl.output.Values;
import io.botfleet.permission.v1.Tier;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The fleet's bots: list, show, register, deregister, revoke (fleet-service). */
@Command(
    name = "bots",
    header = "List, show, register, deregister and revoke bots.",
    subcommands = {
      BotsCommand.ListBots.class,
      BotsCommand.Get.class,
      BotsCommand.Register.class,
      BotsCommand.Deregister.class,
      BotsCommand.Revoke.class
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  fleetctl bots list --group spot-arb --status active",
      "  fleetctl bots get spot-arb-01"
    })
public final class BotsCommand extends GroupCommand {

  @Command(
      name = "list",
      header = "List bots (every page), ordered by name.",
      footerHeading = "%nExample:%n",
      footer = "  fleetctl bots list --group perp-momentum --status dead,paused")
  static final class ListBots extends BaseCommand {
    @Option(names = "--group", description = "Only this group.")
    String group;

    @Option(names = "--exchange", description = "Only this exchange.")
    String exchange;

    @Option(names = "--strategy", description = "Only this strategy.")
    String strategy;

    @Option(names = "--bot-version", description = "Only bots running this version.")
    String version;

    @Option(
        names = "--status",
        split = ",",
        description =
            "Only these statuses: pending, active, paused, stopped, dead, standby, deregistering,"
                + " deregistered, revoked.")
    List<String> statuses = new ArrayList<>();

    @Override
    protected int run(Session session) {
      ListBotsRequest.Builder request = ListBotsRequest.newBuilder().setPageSize(1000);
      if (group != null) request.setGroup(group);
      if (exchange != null) request.setExchange(exchange);
      if (strategy != null) request.setStrategy(strategy);
      if (version != null) request.setVersion(version);
      for (String status : statuses) {
        request.addStatuses(
            BotStatus.valueOf(Args.enumValue(BotStatus.getDescriptor(), status, "--status")));
      }
      ListBotsResponse.Builder all = ListBotsResponse.newBuilder();
      String token = "";
      do {
        ListBotsResponse page =
            session.clients().fleet().listBots(request.setPageToken(token).build());
        all.addAllBots(page.getBotsList()).setTotalSize(page.getTotalSize());
        token = page.getNextPageToken();
      } while (!token.isEmpty());
      ListBotsResponse answer = all.build();
      session.out().print(answer, () -> table(answer.getBotsList()).print(session.out().out()));
      return ExitCodes.OK;
    }
  }

  static Table table(List<Bot> bots) {
    Table table =
        new Table(
            "NAME",
            "ID",
            "GROUP",
            "EXCHANGE",
            "VERSION",
            "STATUS",
            "TIER",
            "CONNECTED",
            "LAST HEARTBEAT");
    Instant now = Instant.now();
    for (Bot bot : bots) {
      table.row(
          bot.getName(),
          bot.getId(),
          bot.getGroup(),
          bot.getExchange(),
          bot.getVersion(),
          Values.enumName(bot.getStatus()) + (bot.getStandby() ? " (standby)" : ""),
          Values.enumName(bot.getTier()),
          Values.yesNo(bot.getConnected()),
          ago(bot.getLastHeartbeatTime(), now));
    }
    return table;
  }

  static String ago(com.google.protobuf.Timestamp time, Instant now) {
    if (time.getSeconds() == 0) {
      return "never";
    }
    Duration d = Duration.between(Instant.ofEpochSecond(time.getSeconds()), now);
    if (d.isNegative()) {
      return Values.time(time);
    }
    return io.botfleet.fleetctl.config.Durations.format(Duration.ofSeconds(d.getSeconds()))
        + " ago";
  }

  @Command(
      name = "get",
      header = "Show one bot (by name or id).",
      footerHeading = "%nExample:%n",
      footer = "  fleetctl bots get spot-arb-01 -o json")
  static final class Get extends BaseCommand {
    @Parameters(paramLabel = "BOT", description = "Name or id.")
    String bot;

    @Override
    protected int run(Session session) {
      session.out().describe(session.bots().get(bot));
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "register",
      header =
          "Register a bot: identity, permissions, health tracking; prints its enrollment token.",
      footerHeading = "%nExample:%n",
      footer =
          "  fleetctl bots register spot-arb-04 --group spot-arb --exchange binance --strategy"
              + " cross-exchange-arb --bot-version 2.4.1 --tier trade --max-order-size-usd 5000"
              + " --allowed-pair BTC/USDT --allowed-pair ETH/USDT")
  static final class Register extends BaseCommand {
    @Parameters(paramLabel = "NAME", description = "Unique in the fleet: [a-z0-9._-], 1-64.")
    String name;

    @Option(names = "--group", required = true, description = "Group, e.g. spot-arb.")
    String group;

    @Option(names = "--exchange", required = true, description = "Exchange, e.g. binance.")
    String exchange;

    @Option(names = "--strategy", required = true, description = "Strategy.")
    String strategy;

    @Option(names = "--bot-version", required = true, description = "Software version, e.g. 2.4.1.")
    String version;

    @Option(names = "--tier", description = "read_only, trade (default), withdraw, admin.")
    String tier;

    @Option(names = "--role", description = "trading_bot (default) or withdrawal_agent.")
    String role;

    @Option(
        names = "--capability",
        description = "A capability (repeat); default trading, metrics_reporting.")
    List<String> capabilities = new ArrayList<>();

    @Option(names = "--max-position-usd", description = "Largest position, USD (default 10000).")
    String maxPositionUsd;

    @Option(names = "--metadata", paramLabel = "KEY=VALUE", description = "Metadata (repeat).")
    List<String> metadata = new ArrayList<>();

    @Option(names = "--standby", description = "Register as a dormant standby of its group.")
    boolean standby;

    @Option(
        names = "--enrollment-ttl",
        paramLabel = "DURATION",
        description = "Token validity (default 1h).")
    String enrollmentTtl;

    @Mixin RestrictionOptions restrictions;

    @Mixin RequestIdOption requestId;

    @Override
    protected int run(Session session) {
      RegisterBotRequest.Builder request =
          RegisterBotRequest.newBuilder()
              .setName(name)
              .setGroup(group)
              .setExchange(exchange)
              .setStrategy(strategy)
              .setVersion(version)
              .addAllCapabilities(capabilities)
              .putAllMetadata(Args.pairs(metadata, "--metadata"))
              .setStandby(standby)
              .setRestrictions(restrictions.toProto())
              .setRequestId(requestId(session, requestId));
      if (tier != null)
        request.setTier(Tier.valueOf(Args.enumValue(Tier.getDescriptor(), tier, "--tier")));
      if (role != null) request.setRole(role);
      if (maxPositionUsd != null)
        request.setMaxPositionUsd(Args.decimal(maxPositionUsd, "--max-position-usd"));
      if (enrollmentTtl != null)
        request.setEnrollmentTtl(Args.duration(enrollmentTtl, "--enrollment-ttl"));
      RegisterBotResponse answer = session.clients().fleet().registerBot(request.build());
      session
          .out()
          .print(
              answer,
              () -> {
                var out = session.out().out();
                out.printf(
                    "Registered %s (%s), %s.%n",
                    answer.getBot().getName(),
                    answer.getBot().getId(),
                    Values.enumName(answer.getBot().getStatus()));
                out.printf(
                    "Enrollment token (shown once, valid until %s):%n  %s%n",
                    Values.time(answer.getEnrollmentExpireTime()), answer.getEnrollmentToken());
                out.println("Give it to the bot: the bot SDK enrolls its own key with it.");
              });
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "deregister",
      header = "Deregister a bot: shutdown, then its identity is revoked after the grace period.",
      footerHeading = "%nExample:%n",
      footer = "  fleetctl bots deregister spot-arb-03 --grace-period 60s --yes")
  static final class Deregister extends BaseCommand {
    @Parameters(paramLabel = "BOT", description = "Name or id.")
    String bot;

    @Option(
        names = "--grace-period",
        paramLabel = "DURATION",
        description = "Before revocation: 0s to 1h (default 30s).")
    String gracePeriod;

    @Mixin ConfirmOption confirm;

    @Mixin RequestIdOption requestId;

    @Override
    protected int run(Session session) {
      String id = session.bots().id(bot);
      confirm(
          session,
          confirm,
          "Deregister " + bot + " (" + id + ")? It shuts down and its identity is revoked");
      DeregisterBotRequest.Builder request =
          DeregisterBotRequest.newBuilder()
              .setBotId(id)
              .setRequestId(requestId(session, requestId));
      if (gracePeriod != null) {
        request.setGracePeriodSeconds(
            (int) Args.duration(gracePeriod, "--grace-period").getSeconds());
      }
      DeregisterBotResponse answer = session.clients().fleet().deregisterBot(request.build());
      session
          .out()
          .print(
              answer,
              () ->
                  session
                      .out()
                      .out()
                      .printf(
                          "%s is %s; shutdown command %s.%n",
                          answer.getBot().getName(),
                          Values.enumName(answer.getBot().getStatus()),
                          answer.getCommandId()));
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "revoke",
      header = "Compromised bot: emergency_stop with destroy_local_keys, suspend, revoke identity.",
      footerHeading = "%nExample:%n",
      footer = "  fleetctl bots revoke spot-arb-02 --reason 'key leaked in CI log' --yes")
  static final class Revoke extends BaseCommand {
    @Parameters(paramLabel = "BOT", description = "Name or id.")
    String bot;

    @Option(names = "--reason", required = true, description = "Why (recorded, sent to the bot).")
    String reason;

    @Mixin ConfirmOption confirm;

    @Mixin RequestIdOption requestId;

    @Override
    protected int run(Session session) {
      String id = session.bots().id(bot);
      confirm(
          session,
          confirm,
          "Revoke "
              + bot
              + " ("
              + id
              + ")? Irreversible: the bot stops and its identity is revoked");
      RevokeBotResponse answer =
          session
              .clients()
              .fleet()
              .revokeBot(
                  RevokeBotRequest.newBuilder()
                      .setBotId(id)
                      .setReason(reason)
                      .setRequestId(requestId(session, requestId))
                      .build());
      session
          .out()
          .print(
              answer,
              () ->
                  session
                      .out()
                      .out()
                      .printf(
                          "%s is %s; emergency_stop command %s.%n",
                          answer.getBot().getName(),
                          Values.enumName(answer.getBot().getStatus()),
                          answer.getCommandId()));
      return ExitCodes.OK;
    }
  }
}
