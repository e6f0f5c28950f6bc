package io.botfleet.fleetctl.command;

import io.botfleet.fleet.v1.FailoverMode;
import io.botfleet.fleet.v1.GroupPolicy;
import io.botfleet.fleet.v1.ListGroupPoliciesRequest;
import io.botfleet.fleet.v1.SetGroupPolicyRequest;
import io.botfleet.fleetctl.ExitCodes;
import io.botfleet.fleetctl.output.Table;
import io.botfleet.fleetctl.output.Values;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Groups' operational policies: failover mode, stateful (fleet-service). */
@Command(
    name = "groups",
    header = "Group policies: failover mode (manual/automatic), stateful handover.",
    subcommands = {GroupsCommand.ListPolicies.class, GroupsCommand.Set.class},
    footerHeading = "%nExamples:%n",
    footer = {
      "  fleetctl groups list",
      "  fleetctl groups set options-mm --stateful --failover manual"
    })
public final class GroupsCommand extends GroupCommand {

  @Command(
      name = "list",
      header = "Every group with a policy (others use the defaults).",
      footerHeading = "%nExample:%n",
      footer = "  fleetctl groups list -o json")
  static final class ListPolicies extends BaseCommand {
    @Override
    protected int run(Session session) {
      var answer =
          session
              .clients()
              .fleet()
              .listGroupPolicies(ListGroupPoliciesRequest.getDefaultInstance());
      session
          .out()
          .print(
              answer,
              () -> {
                Table table =
                    new Table("GROUP", "FAILOVER", "STATEFUL", "MIN HEALTHY", "UPDATED", "BY");
                for (GroupPolicy p : answer.getPoliciesList()) {
                  table.row(
                      p.getGroup(),
                      Values.enumName(p.getFailoverMode()),
                      Values.yesNo(p.getStateful()),
                      Values.number(p.getMinHealthyShare()),
                      Values.time(p.getUpdateTime()),
                      p.getUpdatedBy());
                }
                table.print(session.out().out());
              });
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "set",
      header = "Set a group's failover policy and whether it is stateful.",
      footerHeading = "%nExample:%n",
      footer = "  fleetctl groups set perp-momentum --failover automatic --min-healthy-share 0.8")
  static final class Set extends BaseCommand {
    @Parameters(paramLabel = "GROUP", description = "The group.")
    String group;

    @Option(names = "--failover", description = "manual (default) or automatic.")
    String failover;

    @Option(
        names = "--stateful",
        negatable = true,
        description = "Stateful group: careful handover, drain before updates.")
    boolean stateful;

    @Option(
        names = "--min-healthy-share",
        description =
            "Automatic failover only while this share of the fleet is healthy (0 to 1, default 0.8).")
    Double minHealthyShare;

    @Override
    protected int run(Session session) {
      GroupPolicy.Builder policy = GroupPolicy.newBuilder().setGroup(group).setStateful(stateful);
      if (failover != null) {
        policy.setFailoverMode(
            FailoverMode.valueOf(
                Args.enumValue(FailoverMode.getDescriptor(), failover, "--failover")));
      }
      if (minHealthyShare != null) policy.setMinHealthyShare(minHealthyShare);
      var answer =
          session
              .clients()
              .fleet()
              .setGroupPolicy(SetGroupPolicyRequest.newBuilder().setPolicy(policy).build());
      session.out().describe(answer.getPolicy());
      return ExitCodes.OK;
    }
  }
}
