package io.botfleet.fleetctl.command;

import io.botfleet.common.v1.GetGreenHelixUsageRequest;
import io.botfleet.common.v1.GetGreenHelixUsageResponse;
import io.botfleet.common.v1.GreenHelixUsage;
import io.botfleet.fleetctl.ExitCodes;
import io.botfleet.fleetctl.config.Service;
import io.botfleet.fleetctl.output.Table;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** GreenHelix calls delivered by every service's outbox, per agent and tool (AuditService). */
@Command(
    name = "api-usage",
    header = "GreenHelix calls delivered, per agent and tool, summed over the six services.",
    footerHeading = "%nExample:%n",
    footer = "  fleetctl costs api-usage --from 2026-01-01 --to 2026-02-01")
public final class ApiUsageCommand extends BaseCommand {

  @Option(names = "--from", description = "Start (ISO, YYYY-MM-DD, -24h; default -24h).")
  String from = "-24h";

  @Option(names = "--to", description = "End, exclusive (default now).")
  String to = "now";

  @Override
  protected int run(Session session) {
    Instant now = Instant.now();
    GetGreenHelixUsageRequest request =
        GetGreenHelixUsageRequest.newBuilder()
            .setStartTime(Args.time(from, "--from", now))
            .setEndTime(Args.time(to, "--to", now))
            .build();
    Map<String, Long> calls = new TreeMap<>();
    for (Service service : Service.values()) {
      for (GreenHelixUsage usage :
          session.clients().audit(service).getGreenHelixUsage(request).getUsageList()) {
        calls.merge(usage.getAgentId() + "\u0000" + usage.getTool(), usage.getCalls(), Long::sum);
      }
    }
    GetGreenHelixUsageResponse.Builder all = GetGreenHelixUsageResponse.newBuilder();
    calls.forEach(
        (key, n) -> {
          String[] parts = key.split("\u0000", 2);
          all.addUsage(
              GreenHelixUsage.newBuilder().setAgentId(parts[0]).setTool(parts[1]).setCalls(n));
        });
    var answer = all.build();
    session
        .out()
        .print(
            answer,
            () -> {
              Table table = new Table("AGENT", "TOOL", "CALLS");
              answer
                  .getUsageList()
                  .forEach(u -> table.row(u.getAgentId(), u.getTool(), u.getCalls()));
              table.print(session.out().out());
            });
    return ExitCodes.OK;
  }
}
