package io.botfleet.fleetctl.command;

import io.botfleet.fleet.v1.Command;
import io.botfleet.fleet.v1.EmergencyStopRequest;
import io.botfleet.fleet.v1.PauseBotsRequest;
import io.botfleet.fleet.v1.ResumeBotsRequest;
import io.botfleet.fleetctl.ExitCodes;
import io.botfleet.fleetctl.output.Values;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** pause, resume and emergency-stop: the scoped commands of fleet-service, enforced too. */
public final class ScopeCommands {

  private ScopeCommands() {}

  /** Shared: the scope, the reason, the TTL, the request id. */
  abstract static class Scoped extends BaseCommand {
    @ArgGroup(exclusive = true, multiplicity = "1")
    ScopeOptions scope;

    @Option(
        names = "--ttl",
        paramLabel = "DURATION",
        description = "How long the command waits for a disconnected bot.")
    String ttl;

    @Mixin RequestIdOption requestId;

    void printCommand(Session session, Command command, List<String> botIds) {
      session
          .out()
          .out()
          .printf(
              "%s sent to %d bots (command %s, request id %s).%n",
              command.getType().isEmpty() ? "command" : command.getType(),
              botIds.size(),
              command.getId(),
              command.getRequestId());
      if (!command.getDeliveryCountsMap().isEmpty()) {
        StringBuilder counts = new StringBuilder("deliveries:");
        command
            .getDeliveryCountsMap()
            .forEach((k, v) -> counts.append(' ').append(k).append('=').append(v));
        session.out().out().println(counts);
      }
      session.out().out().println("Follow it: fleetctl command status " + command.getId());
    }
  }

  /** {@code fleetctl pause}. */
  @picocli.CommandLine.Command(
      name = "pause",
      header = "Pause bots: they open no new positions (enforced by permission-service too).",
      footerHeading = "%nExamples:%n",
      footer = {
        "  fleetctl pause --group spot-arb --reason 'exchange maintenance'",
        "  fleetctl pause --bot spot-arb-01 spot-arb-02 --reason volatility"
      })
  public static final class Pause extends Scoped {
    @Option(names = "--reason", required = true, description = "Why (required).")
    String reason;

    @Mixin ConfirmOption confirm;

    @Override
    protected int run(Session session) {
      if (scope.fleet) {
        confirm(session, confirm, "Pause EVERY bot of the fleet?");
      }
      PauseBotsRequest.Builder request =
          PauseBotsRequest.newBuilder()
              .setScope(scope.toProto(session))
              .setReason(reason)
              .setRequestId(requestId(session, requestId));
      if (ttl != null) request.setTtl(Args.duration(ttl, "--ttl"));
      var answer = session.clients().fleet().pauseBots(request.build());
      session
          .out()
          .print(answer, () -> printCommand(session, answer.getCommand(), answer.getBotIdsList()));
      return ExitCodes.OK;
    }
  }

  /** {@code fleetctl resume}. */
  @picocli.CommandLine.Command(
      name = "resume",
      header = "Resume paused bots (only paused ones; an emergency stop stays).",
      footerHeading = "%nExample:%n",
      footer = "  fleetctl resume --group spot-arb --reason 'maintenance over'")
  public static final class Resume extends Scoped {
    @Option(names = "--reason", description = "Why.")
    String reason;

    @Override
    protected int run(Session session) {
      ResumeBotsRequest.Builder request =
          ResumeBotsRequest.newBuilder()
              .setScope(scope.toProto(session))
              .setRequestId(requestId(session, requestId));
      if (reason != null) request.setReason(reason);
      if (ttl != null) request.setTtl(Args.duration(ttl, "--ttl"));
      var answer = session.clients().fleet().resumeBots(request.build());
      session
          .out()
          .print(answer, () -> printCommand(session, answer.getCommand(), answer.getBotIdsList()));
      return ExitCodes.OK;
    }
  }

  /** {@code fleetctl emergency-stop}. */
  @picocli.CommandLine.Command(
      name = "emergency-stop",
      header =
          "The kill switch: cancel orders, close positions, halt — for the fleet, a group or bots.",
      description = {
        "Jumps ahead of anything queued; permissions are suspended (STOPPED) so a bot that ignores"
            + " it still cannot open positions. --fleet asks for confirmation unless --yes."
      },
      footerHeading = "%nExamples:%n",
      footer = {
        "  fleetctl emergency-stop --bot perp-momentum-04 --reason 'runaway orders'",
        "  fleetctl emergency-stop --fleet --reason 'exchange compromised' --yes"
      })
  public static final class EmergencyStop extends Scoped {
    @Option(names = "--reason", required = true, description = "Why (required).")
    String reason;

    @Option(
        names = "--action",
        paramLabel = "ACTION",
        description =
            "Actions (repeat); default cancel_all_open_orders, close_all_positions_market,"
                + " halt_trading_loop.")
    List<String> actions = new ArrayList<>();

    @Mixin ConfirmOption confirm;

    @Override
    protected int run(Session session) {
      if (scope.fleet || scope.group != null) {
        confirm(session, confirm, "Emergency-stop " + scope.describe() + "?");
      }
      EmergencyStopRequest.Builder request =
          EmergencyStopRequest.newBuilder()
              .setScope(scope.toProto(session))
              .setReason(reason)
              .addAllActions(actions)
              .setRequestId(requestId(session, requestId));
      if (ttl != null) request.setTtl(Args.duration(ttl, "--ttl"));
      var answer = session.clients().fleet().emergencyStop(request.build());
      session
          .out()
          .print(answer, () -> printCommand(session, answer.getCommand(), answer.getBotIdsList()));
      return ExitCodes.OK;
    }
  }

  static String state(io.botfleet.fleet.v1.DeliveryState state) {
    return Values.enumName(state);
  }
}
