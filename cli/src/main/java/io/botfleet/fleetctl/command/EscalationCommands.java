package io.botfleet.fleetctl.command;

import io.botfleet.fleetctl.ExitCodes;
import io.botfleet.fleetctl.output.Table;
import io.botfleet.fleetctl.output.Values;
import io.botfleet.permission.v1.ApproveEscalationRequest;
import io.botfleet.permission.v1.DenyEscalationRequest;
import io.botfleet.permission.v1.Escalation;
import io.botfleet.permission.v1.EscalationState;
import io.botfleet.permission.v1.ListEscalationsRequest;
import io.botfleet.permission.v1.ListEscalationsResponse;
import io.botfleet.permission.v1.RequestEscalationRequest;
import io.botfleet.permission.v1.Tier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Two-person escalation of a bot's tier: one operator asks, a different admin decides. */
final class EscalationCommands {

  private EscalationCommands() {}

  @Command(
      name = "escalate",
      header = "Ask to raise a bot's tier; a different ADMIN must approve.",
      footerHeading = "%nExample:%n",
      footer =
          "  fleetctl perms escalate withdrawer-01 --tier withdraw --reason 'monthly sweep' --duration 1h")
  static final class Escalate extends BaseCommand {
    @Parameters(paramLabel = "BOT", description = "Name or id.")
    String bot;

    @Option(
        names = "--tier",
        required = true,
        description = "The tier asked for (higher than now).")
    String tier;

    @Option(names = "--reason", required = true, description = "Why.")
    String reason;

    @Option(
        names = "--duration",
        paramLabel = "DURATION",
        description = "How long once approved (1m to 30d); default until changed.")
    String duration;

    @Option(
        names = "--approval-timeout",
        paramLabel = "DURATION",
        description = "How long it waits for a decision (default 24h).")
    String approvalTimeout;

    @Override
    protected int run(Session session) {
      RequestEscalationRequest.Builder request =
          RequestEscalationRequest.newBuilder()
              .setAgentId(session.bots().id(bot))
              .setNewTier(Tier.valueOf(Args.enumValue(Tier.getDescriptor(), tier, "--tier")))
              .setReason(reason);
      if (duration != null) request.setDuration(Args.duration(duration, "--duration"));
      if (approvalTimeout != null)
        request.setApprovalTimeout(Args.duration(approvalTimeout, "--approval-timeout"));
      var answer = session.clients().permission().requestEscalation(request.build());
      session.out().describe(answer.getEscalation());
      session.note(
          "Another ADMIN approves it with: fleetctl perms approve "
              + answer.getEscalation().getId());
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "approve",
      header = "Approve a pending escalation (an ADMIN other than the requester).",
      footerHeading = "%nExample:%n",
      footer = "  fleetctl perms approve 6f1c2a3e-… --note 'checked with treasury'")
  static final class Approve extends BaseCommand {
    @Parameters(paramLabel = "ESCALATION_ID", description = "The escalation.")
    String escalationId;

    @Option(names = "--note", description = "A note.")
    String note;

    @Override
    protected int run(Session session) {
      ApproveEscalationRequest.Builder request =
          ApproveEscalationRequest.newBuilder().setEscalationId(escalationId);
      if (note != null) request.setNote(note);
      session.out().describe(session.clients().permission().approveEscalation(request.build()));
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "deny",
      header = "Deny a pending escalation (ADMIN).",
      footerHeading = "%nExample:%n",
      footer = "  fleetctl perms deny 6f1c2a3e-… --reason 'not during an incident'")
  static final class Deny extends BaseCommand {
    @Parameters(paramLabel = "ESCALATION_ID", description = "The escalation.")
    String escalationId;

    @Option(names = "--reason", required = true, description = "Why.")
    String reason;

    @Override
    protected int run(Session session) {
      session
          .out()
          .describe(
              session
                  .clients()
                  .permission()
                  .denyEscalation(
                      DenyEscalationRequest.newBuilder()
                          .setEscalationId(escalationId)
                          .setReason(reason)
                          .build())
                  .getEscalation());
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "escalations",
      header = "List escalations (every page), newest first.",
      footerHeading = "%nExample:%n",
      footer = "  fleetctl perms escalations --state pending")
  static final class Escalations extends BaseCommand {
    @Option(names = "--state", description = "pending, active, denied or expired.")
    String state;

    @Option(names = "--bot", description = "Only this bot (name or id).")
    String bot;

    @Override
    protected int run(Session session) {
      ListEscalationsRequest.Builder request =
          ListEscalationsRequest.newBuilder().setPageSize(1000);
      if (state != null)
        request.setState(
            EscalationState.valueOf(
                Args.enumValue(EscalationState.getDescriptor(), state, "--state")));
      if (bot != null) request.setAgentId(session.bots().id(bot));
      ListEscalationsResponse.Builder all = ListEscalationsResponse.newBuilder();
      String token = "";
      do {
        var page =
            session.clients().permission().listEscalations(request.setPageToken(token).build());
        all.addAllEscalations(page.getEscalationsList());
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
                        "ID",
                        "BOT",
                        "FROM",
                        "TO",
                        "STATE",
                        "REQUESTED BY",
                        "DECIDED BY",
                        "REQUESTED",
                        "REASON");
                for (Escalation e : answer.getEscalationsList()) {
                  table.row(
                      e.getId(),
                      e.getBotName().isEmpty() ? e.getAgentId() : e.getBotName(),
                      Values.enumName(e.getOldTier()),
                      Values.enumName(e.getNewTier()),
                      Values.enumName(e.getState()),
                      e.getRequestedBy(),
                      e.getDecidedBy(),
                      Values.time(e.getRequestTime()),
                      e.getReason());
                }
                table.print(session.out().out());
              });
      return ExitCodes.OK;
    }
  }
}
