package io.botfleet.fleetctl.command;

import io.botfleet.common.v1.OperatorRole;
import io.botfleet.common.v1.PrincipalKind;
import io.botfleet.fleetctl.ExitCodes;
import io.botfleet.identity.v1.CreateEnrollmentTokenRequest;
import io.botfleet.identity.v1.CreateEnrollmentTokenResponse;
import io.botfleet.identity.v1.Identity;
import io.botfleet.identity.v1.ListIdentitiesRequest;
import io.botfleet.identity.v1.ListIdentitiesResponse;
import io.botfleet.identity.v1.RegisterAgentRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The people who run the fleet: an admin creates them, they enroll with `fleetctl init --token`.
 */
@Command(
    name = "operators",
    header = "Create operators (identity + enrollment token) and list them.",
    subcommands = {OperatorsCommand.Create.class, OperatorsCommand.ListOperators.class},
    footerHeading = "%nExamples:%n",
    footer = {"  fleetctl operators create bob --role operator", "  fleetctl operators list"})
public final class OperatorsCommand extends GroupCommand {

  @Command(
      name = "create",
      header = "Register an operator and issue the token they enroll with (admins only).",
      footerHeading = "%nExample:%n",
      footer = "  fleetctl operators create bob --role operator --ttl 4h")
  static final class Create extends BaseCommand {
    @Parameters(paramLabel = "NAME", description = "[a-z0-9._-], 1-64, unique in the organization.")
    String name;

    @Option(names = "--role", required = true, description = "viewer, operator or admin.")
    String role;

    @Option(names = "--organization", description = "Default: the `organization` setting.")
    String organization;

    @Option(
        names = "--ttl",
        paramLabel = "DURATION",
        description = "Token validity: 1m to 7d (default 1h).")
    String ttl;

    @Mixin RequestIdOption requestId;

    @Override
    protected int run(Session session) {
      OperatorRole operatorRole =
          OperatorRole.valueOf(Args.enumValue(OperatorRole.getDescriptor(), role, "--role"));
      Identity identity =
          session
              .clients()
              .identity()
              .registerAgent(
                  RegisterAgentRequest.newBuilder()
                      .setName(name)
                      .setOrganization(IdentitiesCommand.organization(session, organization))
                      .setKind(PrincipalKind.PRINCIPAL_KIND_OPERATOR)
                      .setOperatorRole(operatorRole)
                      .setRole("operator")
                      .setRequestId(requestId(session, requestId))
                      .build())
              .getIdentity();
      CreateEnrollmentTokenRequest.Builder token =
          CreateEnrollmentTokenRequest.newBuilder().setAgentId(identity.getId());
      if (ttl != null) token.setTtl(Args.duration(ttl, "--ttl"));
      CreateEnrollmentTokenResponse answer =
          session.clients().identity().createEnrollmentToken(token.build());
      session
          .out()
          .print(
              answer,
              () -> {
                IdentitiesCommand.printToken(session, answer);
                session
                    .out()
                    .out()
                    .printf(
                        "They run, on their own machine:%n  fleetctl init --token %s --name %s%n",
                        answer.getToken(), answer.getName());
              });
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "list",
      header = "Every operator identity.",
      footerHeading = "%nExample:%n",
      footer = "  fleetctl operators list -o json")
  static final class ListOperators extends BaseCommand {
    @Override
    protected int run(Session session) {
      ListIdentitiesRequest.Builder request =
          ListIdentitiesRequest.newBuilder()
              .setKind(PrincipalKind.PRINCIPAL_KIND_OPERATOR)
              .setPageSize(1000);
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
          .print(
              answer,
              () -> IdentitiesCommand.table(answer.getIdentitiesList()).print(session.out().out()));
      return ExitCodes.OK;
    }
  }
}
