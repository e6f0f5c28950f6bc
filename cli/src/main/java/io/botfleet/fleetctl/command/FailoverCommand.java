package io.botfleet.fleetctl.command;

import io.botfleet.fleet.v1.InitiateFailoverRequest;
import io.botfleet.fleetctl.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Fails a dead bot over to a standby of its group (fleet-service InitiateFailover). */
@Command(
    name = "failover",
    header = "Fail a dead bot over to a standby of its group (assume_responsibility).",
    footerHeading = "%nExamples:%n",
    footer = {
      "  fleetctl failover perp-momentum-02",
      "  fleetctl failover perp-momentum-02 --to perp-momentum-standby-1 --yes"
    })
public final class FailoverCommand extends BaseCommand {

  @Parameters(paramLabel = "DEAD_BOT", description = "The dead bot, by name or id.")
  String deadBot;

  @Option(
      names = "--to",
      paramLabel = "BOT",
      description = "The replacement (a standby of the group); default: botfleet chooses.")
  String replacement;

  @Option(names = "--reason", description = "Why (default failover_from_dead_bot).")
  String reason;

  @Mixin ConfirmOption confirm;

  @Mixin RequestIdOption requestId;

  @Override
  protected int run(Session session) {
    String deadId = session.bots().id(deadBot);
    confirm(
        session,
        confirm,
        "Fail "
            + deadBot
            + " over to "
            + (replacement == null ? "a standby botfleet chooses" : replacement)
            + "?");
    InitiateFailoverRequest.Builder request =
        InitiateFailoverRequest.newBuilder()
            .setDeadBotId(deadId)
            .setRequestId(requestId(session, requestId));
    if (replacement != null) request.setReplacementBotId(session.bots().id(replacement));
    if (reason != null) request.setReason(reason);
    var answer = session.clients().fleet().initiateFailover(request.build());
    session.out().describe(answer.getFailover());
    return ExitCodes.OK;
  }
}
