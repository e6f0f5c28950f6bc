package io.botfleet.fleetctl.command;

import io.botfleet.common.v1.OperatorRole;
import io.botfleet.common.v1.PrincipalKind;
import io.botfleet.fleetctl.ExitCodes;
import io.botfleet.fleetctl.config.ClientConfig;
import io.botfleet.fleetctl.output.Table;
import io.botfleet.fleetctl.output.Values;
import io.botfleet.identity.v1.CreateEnrollmentTokenRequest;
import io.botfleet.identity.v1.CreateEnrollmentTokenResponse;
import io.botfleet.identity.v1.GetIdentityRequest;
import io.botfleet.identity.v1.Identity;
import io.botfleet.identity.v1.IdentityStatus;
import io.botfleet.identity.v1.ListIdentitiesRequest;
import io.botfleet.identity.v1.ListIdentitiesResponse;
import io.botfleet.identity.v1.RegisterAgentRequest;
import io.botfleet.identity.v1.RevokeIdentityRequest;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Identities of identity-service: bots, operators, services. */
@Command(
    name = "identities",
    header = "List, show, register identities; issue enrollment tokens; revoke.",
    subcommands = {
      IdentitiesCommand.ListIdentities.class,
      IdentitiesCommand.Get.class,
      IdentitiesCommand.Register.class,
      IdentitiesCommand.Token.class,
      IdentitiesCommand.Revoke.class
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  fleetctl identities list --kind operator",
      "  fleetctl identities token op-0123456789abcdef --ttl 2h"
    })
public final class IdentitiesCommand extends GroupCommand {

  @Command(
      name = "list",
      header = "List identities (every page), by name.",
      footerHeading = "%nExample:%n",
      footer = "  fleetctl identities list --kind bot --status active --group spot-arb")
  static final class ListIdentities extends BaseCommand {
    @Option(names = "--kind", description = "bot, operator or service.")
    String kind;

    @Option(names = "--status", description = "pending_enrollment, active or revoked.")
    String status;

    @Option(names = "--group", description = "Only this group.")
    String group;

    @Option(names = "--exchange", description = "Only this exchange.")
    String exchange;

    @Option(names = "--organization", description = "Only this organization.")
    String organization;

    @Override
    protected int run(Session session) {
      ListIdentitiesRequest.Builder request = ListIdentitiesRequest.newBuilder().setPageSize(1000);
      if (kind != null)
        request.setKind(
            PrincipalKind.valueOf(Args.enumValue(PrincipalKind.getDescriptor(), kind, "--kind")));
      if (status != null)
        request.setStatus(
            IdentityStatus.valueOf(
                Args.enumValue(IdentityStatus.getDescriptor(), status, "--status")));
      if (group != null) request.setGroup(group);
      if (exchange != null) request.setExchange(exchange);
      if (organization != null) request.setOrganization(organization);
      ListIdentitiesResponse.Builder all = ListIdentitiesResponse.newBuilder();
      String token = "";
      do {
        var page = session.clients().identity().listIdentities(request.setPageToken(token).build());
        all.addAllIdentities(page.getIdentitiesList());
        token = page.getNextPageToken();
      } while (!token.isEmpty());
      var answer = all.build();
      session
          .out()
          .print(answer, () -> table(answer.getIdentitiesList()).print(session.out().out()));
      return ExitCodes.OK;
    }
  }

  static Table table(List<Identity> identities) {
    Table table =
        new Table(
            "NAME", "ID", "KIND", "ROLE", "STATUS", "KEY", "ORGANIZATION", "GROUP", "CREATED");
    for (Identity i : identities) {
      String role =
          i.getKind() == PrincipalKind.PRINCIPAL_KIND_OPERATOR
              ? Values.enumName(i.getOperatorRole())
              : i.getRole();
      table.row(
          i.getName(),
          i.getId(),
          Values.enumName(i.getKind()),
          role,
          Values.enumName(i.getStatus()),
          i.getKeyVersion() == 0 ? "-" : "v" + i.getKeyVersion(),
          i.getOrganization(),
          i.getGroup(),
          Values.time(i.getCreateTime()));
    }
    return table;
  }

  @Command(
      name = "get",
      header = "Show an identity and its key versions.",
      footerHeading = "%nExample:%n",
      footer = "  fleetctl identities get op-0123456789abcdef")
  static final class Get extends BaseCommand {
    @Parameters(paramLabel = "AGENT", description = "A bot (name or id), or an agent id.")
    String agent;

    @Override
    protected int run(Session session) {
      session
          .out()
          .describe(
              session
                  .clients()
                  .identity()
                  .getIdentity(
                      GetIdentityRequest.newBuilder()
                          .setAgentId(session.bots().id(agent))
                          .build()));
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "register",
      header =
          "Register an identity (a bot outside fleet-service, or an operator); without"
              + " --public-key it waits for enrollment.",
      description =
          "Bots normally join with `fleetctl bots register` (identity, permissions, health"
              + " at once); operators with `fleetctl operators create`.",
      footerHeading = "%nExample:%n",
      footer = "  fleetctl identities register carol --kind operator --operator-role viewer")
  static final class Register extends BaseCommand {
    @Parameters(paramLabel = "NAME", description = "[a-z0-9._-], 1-64, unique in the organization.")
    String name;

    @Option(names = "--kind", required = true, description = "bot or operator.")
    String kind;

    @Option(names = "--operator-role", description = "Operators: viewer, operator or admin.")
    String operatorRole;

    @Option(names = "--organization", description = "Default: the `organization` setting.")
    String organization;

    @Option(
        names = "--role",
        description = "The guide's role: trading_bot, withdrawal_agent, operator …")
    String role;

    @Option(names = "--group", description = "Bot group.")
    String group;

    @Option(names = "--exchange", description = "Exchange.")
    String exchange;

    @Option(names = "--strategy", description = "Strategy.")
    String strategy;

    @Option(names = "--bot-version", description = "Version.")
    String version;

    @Option(
        names = "--public-key",
        description = "The principal's own public key (base64); omit to enroll later.")
    String publicKey;

    @Option(names = "--description", description = "Free text.")
    String description;

    @Option(names = "--metadata", paramLabel = "KEY=VALUE", description = "Metadata (repeat).")
    List<String> metadata = new ArrayList<>();

    @Mixin RequestIdOption requestId;

    @Override
    protected int run(Session session) {
      RegisterAgentRequest.Builder request =
          RegisterAgentRequest.newBuilder()
              .setName(name)
              .setOrganization(organization(session, organization))
              .setKind(
                  PrincipalKind.valueOf(
                      Args.enumValue(PrincipalKind.getDescriptor(), kind, "--kind")))
              .putAllMetadata(Args.pairs(metadata, "--metadata"))
              .setRequestId(requestId(session, requestId));
      if (operatorRole != null)
        request.setOperatorRole(
            OperatorRole.valueOf(
                Args.enumValue(OperatorRole.getDescriptor(), operatorRole, "--operator-role")));
      if (role != null) request.setRole(role);
      if (group != null) request.setGroup(group);
      if (exchange != null) request.setExchange(exchange);
      if (strategy != null) request.setStrategy(strategy);
      if (version != null) request.setVersion(version);
      if (publicKey != null) request.setPublicKey(publicKey);
      if (description != null) request.setDescription(description);
      session
          .out()
          .describe(session.clients().identity().registerAgent(request.build()).getIdentity());
      return ExitCodes.OK;
    }
  }

  static String organization(Session session, String given) {
    if (given != null) {
      return given;
    }
    String configured = session.config().get(ClientConfig.ORGANIZATION);
    if (configured != null) {
      return configured;
    }
    return session
        .clients()
        .identity()
        .getIdentity(
            GetIdentityRequest.newBuilder().setAgentId(session.credentials().agentId()).build())
        .getIdentity()
        .getOrganization();
  }

  @Command(
      name = "token",
      header = "Issue a one-time enrollment token for a pending identity (voids the previous one).",
      footerHeading = "%nExample:%n",
      footer = "  fleetctl identities token op-0123456789abcdef --ttl 2h")
  static final class Token extends BaseCommand {
    @Parameters(
        paramLabel = "AGENT",
        description = "The pending identity: a bot (name or id), or an agent id.")
    String agent;

    @Option(
        names = "--ttl",
        paramLabel = "DURATION",
        description = "Validity: 1m to 7d (default 1h).")
    String ttl;

    @Override
    protected int run(Session session) {
      CreateEnrollmentTokenRequest.Builder request =
          CreateEnrollmentTokenRequest.newBuilder().setAgentId(session.bots().id(agent));
      if (ttl != null) request.setTtl(Args.duration(ttl, "--ttl"));
      CreateEnrollmentTokenResponse answer =
          session.clients().identity().createEnrollmentToken(request.build());
      session.out().print(answer, () -> printToken(session, answer));
      return ExitCodes.OK;
    }
  }

  static void printToken(Session session, CreateEnrollmentTokenResponse answer) {
    var out = session.out().out();
    out.printf(
        "Enrollment token for %s (%s), valid until %s, shown once:%n  %s%n",
        answer.getName(),
        answer.getAgentId(),
        Values.time(answer.getExpireTime()),
        answer.getToken());
  }

  @Command(
      name = "revoke",
      header = "Revoke an identity (same as keys revoke).",
      footerHeading = "%nExample:%n",
      footer = "  fleetctl identities revoke op-0123456789abcdef --reason 'left the team' --yes")
  static final class Revoke extends BaseCommand {
    @Parameters(paramLabel = "AGENT", description = "A bot (name or id), or an agent id.")
    String agent;

    @Option(names = "--reason", required = true, description = "Why (required).")
    String reason;

    @Mixin ConfirmOption confirm;

    @Override
    protected int run(Session session) {
      String id = session.bots().id(agent);
      confirm(session, confirm, "Revoke identity " + id + "? Irreversible");
      session
          .out()
          .describe(
              session
                  .clients()
                  .identity()
                  .revokeIdentity(
                      RevokeIdentityRequest.newBuilder().setAgentId(id).setReason(reason).build())
                  .getIdentity());
      return ExitCodes.OK;
    }
  }
}
