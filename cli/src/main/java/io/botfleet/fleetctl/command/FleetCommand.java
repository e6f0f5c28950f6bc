package io.botfleet.fleetctl.command;

import io.botfleet.fleet.v1.InitFleetRequest;
import io.botfleet.fleetctl.ExitCodes;
import io.botfleet.fleetctl.config.ClientConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The fleet itself: its one-time initialisation (fleet-service InitFleet). */
@Command(
    name = "fleet",
    header = "Initialise the fleet: the fleet manager identity and GreenHelix event schemas.",
    subcommands = {FleetCommand.Init.class},
    footerHeading = "%nExample:%n",
    footer = "  fleetctl fleet init --organization acme")
public final class FleetCommand extends GroupCommand {

  @Command(
      name = "init",
      header =
          "Register fleet-manager-<organization> (once per installation; a retry is harmless).",
      footerHeading = "%nExample:%n",
      footer = "  fleetctl fleet init --organization acme")
  static final class Init extends BaseCommand {
    @Option(
        names = "--organization",
        paramLabel = "ORG",
        description = "Default: the `organization` setting (set by init).")
    String organization;

    @Override
    protected int run(Session session) {
      String org =
          organization != null ? organization : session.config().get(ClientConfig.ORGANIZATION);
      if (org == null) {
        throw usage("give --organization (no `organization` setting)");
      }
      var answer =
          session
              .clients()
              .fleet()
              .initFleet(InitFleetRequest.newBuilder().setOrganization(org).build());
      session.out().describe(answer);
      return ExitCodes.OK;
    }
  }
}
