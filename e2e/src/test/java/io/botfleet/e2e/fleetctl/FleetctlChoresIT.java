package io.botfleet.e2e.fleetctl;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import io.botfleet.fleet.v1.RegisterBotResponse;
import io.botfleet.health.v1.RegisterWebhookResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The day-to-day chores: webhooks, operators, groups, budgets, CSV export, SLA. */
class FleetctlChoresIT {

  final FleetctlFleet fleet = FleetctlFleet.get();
  final Cli admin = fleet.admin;

  @Test
  void aWebhookIsAddedListedAndRemovedOnlyWithYes() throws Exception {
    String url = "http://127.0.0.1:9/" + FleetctlFleet.unique("hook");

    Cli.Run add = admin.run("webhooks", "add", url, "--event", "fleet.bot_dead", "-o", "json");
    RegisterWebhookResponse.Builder added = RegisterWebhookResponse.newBuilder();
    JsonFormat.parser().merge(add.out(), added);
    String id = added.getWebhook().getId();
    Cli.Run list = admin.run("webhooks", "list");
    Cli.Run refused = admin.run("webhooks", "rm", id);
    Cli.Run removed = admin.run("webhooks", "rm", id, "--yes");
    Cli.Run gone = admin.run("webhooks", "list");

    assertThat(add.exitCode()).as(add.toString()).isZero();
    assertThat(added.getSecret()).startsWith("whsec_");
    assertThat(list.out()).contains(id).contains(url).doesNotContain(added.getSecret());
    assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(2);
    assertThat(removed.exitCode()).as(removed.toString()).isZero();
    assertThat(gone.out()).doesNotContain(id);
  }

  @Test
  void operatorsAndIdentitiesAreListed() {
    Cli.Run operators = admin.run("operators", "list");
    Cli.Run identities = admin.run("identities", "list", "--kind", "operator");
    Cli.Run config = admin.run("config", "show");

    assertThat(operators.exitCode()).as(operators.toString()).isZero();
    assertThat(operators.out()).contains("e2e-admin");
    assertThat(identities.exitCode()).as(identities.toString()).isZero();
    assertThat(identities.out()).contains("e2e-admin");
    assertThat(config.exitCode()).as(config.toString()).isZero();
    assertThat(config.out()).contains("127.0.0.1:" + fleet.fleet.port("billing"));
  }

  @Test
  void aGroupPolicyIsSetAndListed() {
    String group = FleetctlFleet.unique("gp");

    Cli.Run set = admin.run("groups", "set", group, "--failover", "automatic", "--stateful");
    Cli.Run list = admin.run("groups", "list");
    Cli.Run bad = admin.run("groups", "set", group, "--failover", "sometimes");

    assertThat(set.exitCode()).as(set.toString()).isZero();
    assertThat(list.exitCode()).as(list.toString()).isZero();
    assertThat(list.out()).contains(group).contains("automatic");
    assertThat(bad.exitCode()).as(bad.toString()).isEqualTo(2);
  }

  @Test
  void aBudgetAndTheCostsExportAsCsv() {
    String group = FleetctlFleet.unique("bx");
    String name = group + "-01";
    register(name, group);

    Cli.Run budget = admin.run("costs", "budget", "set", "--bot", name, "--monthly-usd", "100");
    Cli.Run record =
        admin.run(
            "costs",
            "record",
            name,
            "--category",
            "market_data",
            "--amount",
            "12.50",
            "--description",
            "Kaiko share");
    Cli.Run csv = admin.run("costs", "export", "--bot", name);

    assertThat(budget.exitCode()).as(budget.toString()).isZero();
    assertThat(record.exitCode()).as(record.toString()).isZero();
    assertThat(csv.exitCode()).as(csv.toString()).isZero();
    List<String> lines = csv.out().lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(1)).contains("12.5").contains("market_data").contains(name);
  }

  @Test
  void keysRotateOfABotGoesThroughFleetService() {
    String group = FleetctlFleet.unique("kr");
    String name = group + "-01";
    register(name, group);

    // fleet-service, not identity-service, answers: it would send the bot rotate_key, and a bot
    // that never connected cannot act on it (identity alone would begin a rotation nobody makes).
    Cli.Run rotate = admin.run("keys", "rotate", name, "--reason", "e2e");

    assertThat(rotate.exitCode()).as(rotate.toString()).isEqualTo(6);
    assertThat(rotate.err()).contains("BOT_NOT_ROTATABLE");
  }

  @Test
  void slaTargetsAreSetForAGroup() {
    String group = FleetctlFleet.unique("sl");

    Cli.Run set = admin.run("sla", "set", "--group", group, "--uptime-pct", "99.5");

    assertThat(set.exitCode()).as(set.toString()).isZero();
  }

  private void register(String name, String group) {
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
      JsonFormat.parser().merge(run.out(), RegisterBotResponse.newBuilder());
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + run, e);
    }
  }
}
