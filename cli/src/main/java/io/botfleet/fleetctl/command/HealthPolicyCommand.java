package io.botfleet.fleetctl.command;

import io.botfleet.fleetctl.ExitCodes;
import io.botfleet.health.v1.GetHealthPolicyRequest;
import io.botfleet.health.v1.HealthPolicy;
import io.botfleet.health.v1.SetHealthPolicyRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Thresholds of evaluation and dead-bot detection (health-service). */
@Command(
    name = "policy",
    header = "Show or set health thresholds for the fleet or a group.",
    subcommands = {HealthPolicyCommand.Get.class, HealthPolicyCommand.Set.class},
    footerHeading = "%nExamples:%n",
    footer = {
      "  fleetctl health policy get --group options-mm",
      "  fleetctl health policy set --group options-mm --dead-after 60s --drawdown-critical-pct 8"
    })
public final class HealthPolicyCommand extends GroupCommand {

  @Command(
      name = "get",
      header = "The effective policy of a group (fleet default merged with its overrides).",
      footerHeading = "%nExample:%n",
      footer = "  fleetctl health policy get --group spot-arb")
  static final class Get extends BaseCommand {
    @Option(names = "--group", description = "The group; default the fleet policy.")
    String group;

    @Override
    protected int run(Session session) {
      GetHealthPolicyRequest.Builder request = GetHealthPolicyRequest.newBuilder();
      if (group != null) request.setGroup(group);
      session
          .out()
          .describe(session.clients().health().getHealthPolicy(request.build()).getPolicy());
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "set",
      header = "Set the fleet's (no --group) or a group's thresholds; unset ones are inherited.",
      footerHeading = "%nExample:%n",
      footer = "  fleetctl health policy set --dead-after 120s --latency-warning-ms 1000")
  static final class Set extends BaseCommand {
    @Option(names = "--group", description = "The group; default the fleet policy.")
    String group;

    @Option(names = "--heartbeat-interval", paramLabel = "DURATION")
    String heartbeatInterval;

    @Option(names = "--dead-after", paramLabel = "DURATION")
    String deadAfter;

    @Option(names = "--drawdown-warning-pct")
    Double drawdownWarningPct;

    @Option(names = "--drawdown-critical-pct")
    Double drawdownCriticalPct;

    @Option(names = "--latency-warning-ms")
    Double latencyWarningMs;

    @Option(names = "--latency-critical-ms")
    Double latencyCriticalMs;

    @Option(names = "--errors-warning")
    Long errorsWarning;

    @Option(names = "--errors-critical")
    Long errorsCritical;

    @Option(names = "--memory-critical-mb")
    Double memoryCriticalMb;

    @Override
    protected int run(Session session) {
      HealthPolicy.Builder policy = HealthPolicy.newBuilder();
      if (group != null) policy.setGroup(group);
      if (heartbeatInterval != null)
        policy.setHeartbeatInterval(Args.duration(heartbeatInterval, "--heartbeat-interval"));
      if (deadAfter != null) policy.setDeadAfter(Args.duration(deadAfter, "--dead-after"));
      if (drawdownWarningPct != null) policy.setDrawdownWarningPct(drawdownWarningPct);
      if (drawdownCriticalPct != null) policy.setDrawdownCriticalPct(drawdownCriticalPct);
      if (latencyWarningMs != null) policy.setLatencyWarningMs(latencyWarningMs);
      if (latencyCriticalMs != null) policy.setLatencyCriticalMs(latencyCriticalMs);
      if (errorsWarning != null) policy.setErrorsWarning(errorsWarning);
      if (errorsCritical != null) policy.setErrorsCritical(errorsCritical);
      if (memoryCriticalMb != null) policy.setMemoryCriticalMb(memoryCriticalMb);
      session
          .out()
          .describe(
              session
                  .clients()
                  .health()
                  .setHealthPolicy(SetHealthPolicyRequest.newBuilder().setPolicy(policy).build())
                  .getPolicy());
      return ExitCodes.OK;
    }
  }
}
