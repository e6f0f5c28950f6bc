package io.botfleet.e2e.fleetctl;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import io.botfleet.billing.v1.GetBotCostSummaryResponse;
import io.botfleet.common.v1.Event;
import io.botfleet.common.v1.ListEventsResponse;
import io.botfleet.deploy.v1.Deployment;
import io.botfleet.deploy.v1.ListDeploymentsResponse;
import io.botfleet.fleet.v1.RegisterBotResponse;
import io.botfleet.health.v1.GetFleetHealthDashboardResponse;
import io.botfleet.health.v1.WatchHealthResponse;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Health, events, costs and deployments from the terminal. */
class FleetctlObserveIT {

  final FleetctlFleet fleet = FleetctlFleet.get();
  final Cli admin = fleet.admin;

  @Test
  void theHealthDashboardCountsTheBotsAsTableAndJson() throws Exception {
    String group = FleetctlFleet.unique("hd");
    register(group + "-01", group);

    Cli.Run table = admin.run("health", "dashboard");
    Cli.Run json = admin.run("health", "dashboard", "-o", "json");

    assertThat(table.exitCode()).as(table.toString()).isZero();
    assertThat(table.out()).contains("bots tracked").contains("HEALTHY").contains(group);
    assertThat(json.exitCode()).as(json.toString()).isZero();
    GetFleetHealthDashboardResponse.Builder dashboard =
        GetFleetHealthDashboardResponse.newBuilder();
    JsonFormat.parser().ignoringUnknownFields().merge(json.out(), dashboard);
    assertThat(dashboard.getTotalBots()).isPositive();
  }

  @Test
  void healthWatchPrintsTheSnapshotAsJsonLinesAndStopsWhenAsked() throws Exception {
    String group = FleetctlFleet.unique("hw");
    String id = register(group + "-01", group);

    Cli.Run run = admin.run("health", "watch", "--group", group, "--for", "3s", "-o", "json");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    List<String> lines = run.out().lines().filter(l -> !l.isBlank()).toList();
    assertThat(lines).isNotEmpty();
    boolean seen = false;
    for (String line : lines) {
      WatchHealthResponse.Builder event = WatchHealthResponse.newBuilder();
      JsonFormat.parser().merge(line, event);
      seen |= event.getBotId().equals(id);
    }
    assertThat(seen).as("the bot in the snapshot: " + run).isTrue();
  }

  @Test
  void eventsMergeTheServicesAuditLogsNewestFirst() throws Exception {
    String group = FleetctlFleet.unique("ev");
    String id = register(group + "-01", group);

    Cli.Run run = admin.run("events", "--bot", id, "--since", "-1h", "-o", "json");
    Cli.Run table = admin.run("events", "--limit", "5");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    ListEventsResponse.Builder events = ListEventsResponse.newBuilder();
    JsonFormat.parser().merge(run.out(), events);
    assertThat(events.getEventsList()).extracting(Event::getAgentId).containsOnly(id);
    assertThat(events.getEventsList()).extracting(Event::getService).contains("fleet", "identity");
    List<Long> times =
        events.getEventsList().stream().map(e -> e.getCreateTime().getSeconds()).toList();
    assertThat(times).isSortedAccordingTo((a, b) -> Long.compare(b, a));
    assertThat(table.exitCode()).as(table.toString()).isZero();
    assertThat(table.out().lines().count()).isEqualTo(6);
  }

  @Test
  void aRecordedCostShowsInTheBotsSummary() throws Exception {
    String group = FleetctlFleet.unique("co");
    String name = group + "-01";
    register(name, group);

    Cli.Run record =
        admin.run(
            "costs",
            "record",
            name,
            "--category",
            "infrastructure",
            "--amount",
            "6.80",
            "--description",
            "c5.large share",
            "--entry-key",
            "e2e-" + group);
    Cli.Run again =
        admin.run(
            "costs",
            "record",
            name,
            "--category",
            "infrastructure",
            "--amount",
            "6.80",
            "--description",
            "c5.large share",
            "--entry-key",
            "e2e-" + group);
    Cli.Run summary = admin.run("costs", "summary", name, "-o", "json");
    Cli.Run fleetSummary = admin.run("costs", "summary");

    assertThat(record.exitCode()).as(record.toString()).isZero();
    assertThat(record.out()).contains("6.80").contains("infrastructure");
    assertThat(again.exitCode()).as(again.toString()).isZero();
    assertThat(summary.exitCode()).as(summary.toString()).isZero();
    GetBotCostSummaryResponse.Builder costs = GetBotCostSummaryResponse.newBuilder();
    JsonFormat.parser().merge(summary.out(), costs);
    assertThat(new BigDecimal(costs.getTotalCostUsd())).isEqualByComparingTo("6.80");
    assertThat(new BigDecimal(costs.getCostsByCategoryOrThrow("infrastructure")))
        .isEqualByComparingTo("6.80");
    assertThat(fleetSummary.exitCode()).as(fleetSummary.toString()).isZero();
    assertThat(fleetSummary.out()).contains("Fleet:").contains(name);
  }

  @Test
  void deploymentsAreListedAndAnUnknownOneIsNotFound() throws Exception {
    Cli.Run list = admin.run("deploy", "list", "-o", "json");
    Cli.Run unknown = admin.run("deploy", "status", "deploy-000000000000");

    assertThat(list.exitCode()).as(list.toString()).isZero();
    JsonFormat.parser().merge(list.out(), ListDeploymentsResponse.newBuilder());
    assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(3);
  }

  @Test
  void aDeploymentOfASmallGroupStartsAndShowsItsBatches() throws Exception {
    String group = FleetctlFleet.unique("dp");
    register(group + "-01", group);
    register(group + "-02", group);

    Cli.Run start =
        admin.run(
            "deploy",
            "start",
            "1.1.0",
            "--artifact",
            "registry.example.com/arb:1.1.0",
            "--group",
            group,
            "--strategy",
            "rolling",
            "--batch-size",
            "1",
            "-o",
            "json");
    assertThat(start.exitCode()).as(start.toString()).isZero();
    // `deploy start -o json` prints the deployment itself.
    Deployment.Builder started = Deployment.newBuilder();
    JsonFormat.parser().merge(start.out(), started);
    String id = started.getId();
    assertThat(id).as(start.toString()).isNotEmpty();
    assertThat(started.getVersion()).isEqualTo("1.1.0");

    Cli.Run status = admin.run("deploy", "status", id);

    assertThat(status.exitCode()).as(status.toString()).isZero();
    assertThat(status.out())
        .contains(id)
        .contains("1.1.0")
        .contains("BATCH")
        .contains(group + "-01")
        .contains(group + "-02");
  }

  private String register(String name, String group) {
    Cli.Run run =
        admin.run(
            "bots",
            "register",
            name,
            "--group",
            group,
            "--exchange",
            "binance",
            "--strategy",
            "e2e",
            "--bot-version",
            "1.0.0",
            "-o",
            "json");
    assertThat(run.exitCode()).as(run.toString()).isZero();
    try {
      RegisterBotResponse.Builder answer = RegisterBotResponse.newBuilder();
      JsonFormat.parser().merge(run.out(), answer);
      return answer.getBot().getId();
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + run, e);
    }
  }
}
