package io.botfleet.e2e.fleetctl;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import io.botfleet.fleet.v1.Bot;
import io.botfleet.fleet.v1.BotStatus;
import io.botfleet.fleet.v1.EmergencyStopResponse;
import io.botfleet.fleet.v1.ListBotsResponse;
import io.botfleet.fleet.v1.PauseBotsResponse;
import io.botfleet.fleet.v1.RegisterBotResponse;
import io.botfleet.permission.v1.CheckPermissionResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bots from the terminal: register, list, get, pause a group, the kill switch, checks. */
class FleetctlBotsIT {

  final FleetctlFleet fleet = FleetctlFleet.get();
  final Cli admin = fleet.admin;

  @Test
  void registeredBotsAreListedAndShownByName() throws Exception {
    String group = FleetctlFleet.unique("arb");
    Bot first = register(group + "-01", group);
    Bot second = register(group + "-02", group);

    Cli.Run table = admin.run("bots", "list", "--group", group);
    Cli.Run json = admin.run("bots", "list", "--group", group, "-o", "json");
    Cli.Run get = admin.run("bots", "get", first.getName());
    Cli.Run getJson = admin.run("bots", "get", second.getId(), "-o", "json");

    assertThat(table.exitCode()).as(table.toString()).isZero();
    assertThat(table.out().lines().findFirst().orElseThrow()).contains("NAME").contains("STATUS");
    assertThat(table.out()).contains(first.getName(), first.getId(), second.getName(), "pending");
    assertThat(json.exitCode()).as(json.toString()).isZero();
    ListBotsResponse.Builder listed = ListBotsResponse.newBuilder();
    JsonFormat.parser().merge(json.out(), listed);
    assertThat(listed.getBotsList())
        .extracting(Bot::getName)
        .containsExactlyInAnyOrder(first.getName(), second.getName());
    assertThat(get.exitCode()).as(get.toString()).isZero();
    assertThat(get.out()).contains(first.getId()).contains(group).contains("binance");
    Bot.Builder got = Bot.newBuilder();
    JsonFormat.parser().merge(getJson.out(), got);
    assertThat(got.getName()).isEqualTo(second.getName());
    assertThat(got.getStatus()).isEqualTo(BotStatus.BOT_STATUS_PENDING);
  }

  @Test
  void anUnknownBotIsNotFoundWithExitThree() {
    Cli.Run byName = admin.run("bots", "get", "no-such-bot");
    Cli.Run byId = admin.run("bots", "get", "bot-0000000000000000");

    assertThat(byName.exitCode()).as(byName.toString()).isEqualTo(3);
    assertThat(byName.err()).contains("no-such-bot");
    assertThat(byName.out()).isEmpty();
    assertThat(byId.exitCode()).as(byId.toString()).isEqualTo(3);
  }

  @Test
  void invalidInputIsRefusedByTheServiceWithTheFieldNamed() {
    Cli.Run run =
        admin.run(
            "bots",
            "register",
            "Bad Name!",
            "--group",
            "g",
            "--exchange",
            "binance",
            "--strategy",
            "s",
            "--bot-version",
            "1.0.0");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.err()).contains("INVALID_ARGUMENT").contains("name");
  }

  @Test
  void pausingAGroupReachesItsBotsAndTheirPermissionsFollow() throws Exception {
    String group = FleetctlFleet.unique("mm");
    Bot one = register(group + "-01", group);
    Bot two = register(group + "-02", group);
    Cli.Run before = check(one, "place_order");

    Cli.Run pause =
        admin.run("pause", "--group", group, "--reason", "e2e maintenance", "-o", "json");
    Cli.Run after = check(one, "place_order");
    Cli.Run status = admin.run("status");
    Cli.Run command = admin.run("command", "status", commandId(pause));

    assertThat(pause.exitCode()).as(pause.toString()).isZero();
    PauseBotsResponse.Builder paused = PauseBotsResponse.newBuilder();
    JsonFormat.parser().merge(pause.out(), paused);
    assertThat(paused.getBotIdsList()).containsExactlyInAnyOrder(one.getId(), two.getId());
    assertThat(allowed(before)).as(before.toString()).isTrue();
    assertThat(allowed(after)).as(after.toString()).isFalse();
    assertThat(status.exitCode()).as(status.toString()).isZero();
    assertThat(status.out()).contains(group);
    assertThat(command.exitCode()).as(command.toString()).isZero();
    assertThat(command.out()).contains(one.getId()).contains(two.getId());
  }

  @Test
  void theKillSwitchOnAGroupNeedsYesInAScriptAndAYesAtATerminal() throws Exception {
    String group = FleetctlFleet.unique("perp");
    Bot bot = register(group + "-01", group);

    Cli.Run script = admin.run("emergency-stop", "--group", group, "--reason", "e2e");
    Cli.Run declined =
        admin.interactive("no\n", "emergency-stop", "--group", group, "--reason", "e2e");
    Cli.Run untouched = check(bot, "place_order");
    Cli.Run confirmed =
        admin.interactive(
            "yes\n", "emergency-stop", "--group", group, "--reason", "e2e", "-o", "json");
    Cli.Run stopped = check(bot, "place_order");

    assertThat(script.exitCode()).as(script.toString()).isEqualTo(2);
    assertThat(script.err()).contains("--yes");
    assertThat(declined.exitCode()).as(declined.toString()).isEqualTo(7);
    assertThat(allowed(untouched)).as("nothing was done: " + untouched).isTrue();
    assertThat(confirmed.exitCode()).as(confirmed.toString()).isZero();
    EmergencyStopResponse.Builder stop = EmergencyStopResponse.newBuilder();
    JsonFormat.parser().merge(confirmed.out(), stop);
    assertThat(stop.getBotIdsList()).containsExactly(bot.getId());
    assertThat(allowed(stopped)).as(stopped.toString()).isFalse();
  }

  @Test
  void revokeAndDeregisterAskFirst() {
    String group = FleetctlFleet.unique("rv");
    Bot bot = register(group + "-01", group);

    Cli.Run revoke = admin.run("bots", "revoke", bot.getName(), "--reason", "e2e");
    Cli.Run deregister = admin.run("bots", "deregister", bot.getName());
    Cli.Run revoked = admin.run("bots", "revoke", bot.getName(), "--reason", "e2e", "--yes");
    Cli.Run get = admin.run("bots", "get", bot.getName());

    assertThat(revoke.exitCode()).as(revoke.toString()).isEqualTo(2);
    assertThat(deregister.exitCode()).as(deregister.toString()).isEqualTo(2);
    assertThat(revoked.exitCode()).as(revoked.toString()).isZero();
    assertThat(get.out()).contains("revoked");
  }

  @Test
  void permsShowTheBotsTierAndCheckSeveralActions() {
    String group = FleetctlFleet.unique("pm");
    Bot bot = register(group + "-01", group);

    Cli.Run get = admin.run("perms", "get", bot.getName());
    Cli.Run checks =
        admin.run(
            "perms",
            "check",
            bot.getName(),
            "place_order",
            "withdraw_funds",
            "--exchange",
            "binance");
    Cli.Run summary = admin.run("perms", "summary");

    assertThat(get.exitCode()).as(get.toString()).isZero();
    assertThat(get.out()).contains("trade");
    assertThat(checks.exitCode()).as(checks.toString()).isZero();
    List<String> lines = checks.out().lines().toList();
    assertThat(lines.get(0)).contains("ACTION").contains("DECISION");
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("place_order").contains("allow"));
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("withdraw_funds").contains("DENY"));
    assertThat(summary.exitCode()).as(summary.toString()).isZero();
  }

  private Bot register(String name, String group) {
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
            "e2e-arb",
            "--bot-version",
            "1.0.0",
            "-o",
            "json");
    assertThat(run.exitCode()).as(run.toString()).isZero();
    try {
      RegisterBotResponse.Builder answer = RegisterBotResponse.newBuilder();
      JsonFormat.parser().merge(run.out(), answer);
      assertThat(answer.getEnrollmentToken()).startsWith("bfe_");
      return answer.getBot();
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + run, e);
    }
  }

  private Cli.Run check(Bot bot, String action) {
    return admin.run(
        "perms", "check", bot.getName(), action, "--exchange", "binance", "-o", "json");
  }

  private static boolean allowed(Cli.Run check) {
    assertThat(check.exitCode()).as(check.toString()).isZero();
    try {
      CheckPermissionResponse.Builder answer = CheckPermissionResponse.newBuilder();
      JsonFormat.parser().merge(check.out(), answer);
      return answer.getAllowed();
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + check, e);
    }
  }

  private static String commandId(Cli.Run pause) throws Exception {
    PauseBotsResponse.Builder answer = PauseBotsResponse.newBuilder();
    JsonFormat.parser().merge(pause.out(), answer);
    return answer.getCommand().getId();
  }
}
