package io.botfleet.fleetctl.command;

import io.botfleet.fleet.v1.CommandDelivery;
import io.botfleet.fleet.v1.DeliveryState;
import io.botfleet.fleet.v1.GetCommandStatusRequest;
import io.botfleet.fleet.v1.GetCommandStatusResponse;
import io.botfleet.fleet.v1.SendCommandRequest;
import io.botfleet.fleetctl.ExitCodes;
import io.botfleet.fleetctl.output.Describe;
import io.botfleet.fleetctl.output.Table;
import io.botfleet.fleetctl.output.Values;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Any command to a scope (the guide's send_group_command), and where a command stands. */
@Command(
    name = "command",
    header = "Send any command to bots, and follow its delivery per bot.",
    subcommands = {CommandCommand.Send.class, CommandCommand.Status.class},
    footerHeading = "%nExamples:%n",
    footer = {
      "  fleetctl command send rebalance --group spot-arb --set target=0.5",
      "  fleetctl command status 6f1c2a3e-…"
    })
public final class CommandCommand extends GroupCommand {

  @Command(
      name = "send",
      header = "Send a command with a payload to the fleet, a group or bots.",
      description =
          "pause, resume and emergency_stop have their own commands (they are enforced too).",
      footerHeading = "%nExamples:%n",
      footer = {
        "  fleetctl command send reload_config --bot spot-arb-01 --payload '{\"path\":\"/etc/bot.yaml\"}'",
        "  fleetctl command send rebalance --group spot-arb --set target=0.5 --ttl 1h"
      })
  static final class Send extends BaseCommand {
    @Parameters(paramLabel = "TYPE", description = "The command name, [a-z][a-z0-9_]{0,63}.")
    String type;

    @ArgGroup(exclusive = true, multiplicity = "1")
    ScopeOptions scope;

    @Option(names = "--payload", paramLabel = "JSON", description = "The payload, a JSON object.")
    String payload;

    @Option(
        names = "--set",
        paramLabel = "KEY=VALUE",
        description = "A payload field (repeat); JSON values allowed.")
    List<String> set = new ArrayList<>();

    @Option(
        names = "--ttl",
        paramLabel = "DURATION",
        description = "How long it may wait for a disconnected bot (default 24h).")
    String ttl;

    @Mixin ConfirmOption confirm;

    @Mixin RequestIdOption requestId;

    @Override
    protected int run(Session session) {
      if (scope.fleet) {
        confirm(session, confirm, "Send " + type + " to EVERY bot of the fleet?");
      }
      SendCommandRequest.Builder request =
          SendCommandRequest.newBuilder()
              .setType(type)
              .setScope(scope.toProto(session))
              .setPayload(Args.struct(payload, set, "--payload"))
              .setRequestId(requestId(session, requestId));
      if (ttl != null) request.setTtl(Args.duration(ttl, "--ttl"));
      var answer = session.clients().fleet().sendCommand(request.build());
      session
          .out()
          .print(
              answer,
              () ->
                  session
                      .out()
                      .out()
                      .printf(
                          "%s sent to %d bots (command %s). Follow it: fleetctl command status %s%n",
                          type,
                          answer.getBotIdsCount(),
                          answer.getCommand().getId(),
                          answer.getCommand().getId()));
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "status",
      header = "Where a command stands, per bot (every page).",
      footerHeading = "%nExample:%n",
      footer =
          "  fleetctl command status 6f1c2a3e-0000-4000-8000-000000000001 --state failed,rejected")
  static final class Status extends BaseCommand {
    @Parameters(paramLabel = "COMMAND_ID", description = "The command id.")
    String commandId;

    @Option(
        names = "--state",
        split = ",",
        description =
            "Only deliveries in these states: pending, sent, accepted, done, rejected, failed,"
                + " expired, cancelled.")
    List<String> states = new ArrayList<>();

    @Override
    protected int run(Session session) {
      GetCommandStatusRequest.Builder request =
          GetCommandStatusRequest.newBuilder().setCommandId(commandId).setPageSize(1000);
      for (String state : states) {
        request.addStates(
            DeliveryState.valueOf(Args.enumValue(DeliveryState.getDescriptor(), state, "--state")));
      }
      GetCommandStatusResponse.Builder all = GetCommandStatusResponse.newBuilder();
      String token = "";
      do {
        GetCommandStatusResponse page =
            session.clients().fleet().getCommandStatus(request.setPageToken(token).build());
        all.setCommand(page.getCommand()).addAllDeliveries(page.getDeliveriesList());
        token = page.getNextPageToken();
      } while (!token.isEmpty());
      GetCommandStatusResponse answer = all.build();
      session
          .out()
          .print(
              answer,
              () -> {
                var out = session.out().out();
                Describe.lines(answer.getCommand()).forEach(out::println);
                out.println();
                Table table = new Table("BOT", "ID", "SEQ", "STATE", "SENT", "UPDATED", "MESSAGE");
                for (CommandDelivery d : answer.getDeliveriesList()) {
                  table.row(
                      d.getBotName(),
                      d.getBotId(),
                      d.getSequence(),
                      Values.enumName(d.getState()),
                      Values.time(d.getSendTime()),
                      Values.time(d.getUpdateTime()),
                      d.getMessage());
                }
                table.print(out);
              });
      return ExitCodes.OK;
    }
  }
}
