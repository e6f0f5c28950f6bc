package io.botfleet.fleetctl;

import static org.assertj.core.api.Assertions.assertThat;

import io.botfleet.signing.Credentials;
import io.botfleet.signing.KeyFile;
import io.botfleet.signing.SigningKey;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The command line without services: parsing, help, the exit codes of failures fleetctl detects
 * itself, confirmations, settings. Calls go to a closed port, so a command that wrongly reached the
 * network would end with exit 5 instead of the code asserted.
 */
class FleetctlCliTest {

  @TempDir Path home;

  Cli cli() {
    return new Cli(home);
  }

  @Test
  void everyCommandHasHelpWithAnExample() {
    List<String> missing = new ArrayList<>();
    List<CommandLine> all = new ArrayList<>();
    collect(Fleetctl.commandLine(Terminal.system()), all);
    for (CommandLine command : all) {
      String path = command.getCommandSpec().qualifiedName();
      if (path.equals("fleetctl") || path.endsWith(" help")) {
        continue;
      }
      String help = command.getUsageMessage();
      if (!help.contains("Example") || !help.contains("  fleetctl ")) {
        missing.add(path);
      }
    }
    assertThat(all).hasSizeGreaterThan(80);
    assertThat(missing).as("commands whose --help has no example").isEmpty();
  }

  @Test
  void helpOfASubcommandExitsZero() {
    Cli.Run run = cli().run("bots", "list", "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("Usage: fleetctl bots list").contains("Example");
  }

  @Test
  void theRootHelpListsTheExitCodes() {
    Cli.Run run = cli().run("--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("Exit codes:").contains("3  not found").contains("4  denied");
  }

  @Test
  void anUnknownCommandOrOptionIsAUsageError() {
    Cli.Run unknown = cli().run("botz");
    Cli.Run badOption = cli().run("bots", "list", "--colour", "red");
    Cli.Run noSubcommand = cli().run("bots");

    assertThat(unknown.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(unknown.err()).contains("botz");
    assertThat(badOption.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(badOption.err()).contains("--colour");
    assertThat(noSubcommand.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(noSubcommand.err()).contains("Missing subcommand").contains("list");
  }

  @Test
  void withoutAnOperatorKeyACallIsDeniedAndSaysWhatToDo() {
    Cli.Run run = cli().run("bots", "list");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.DENIED);
    assertThat(run.err()).contains("no operator key").contains("fleetctl init");
  }

  @Test
  void anUnreachableServiceIsUnavailable() throws IOException {
    Cli cli = cli();
    cli.run("config", "set", "endpoint", "http://127.0.0.1:" + closedPort());

    Cli.Run run = cli.run("init", "--bootstrap-token", "bfb_x", "--name", "alice");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(run.err()).contains("UNAVAILABLE").contains("identity-service");
  }

  @Test
  void initWithoutAToken() {
    Cli.Run run = cli().run("init");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.err()).contains("--bootstrap-token");
  }

  @Test
  void initWithAMissingBootstrapTokenFileIsNotFound() throws IOException {
    Cli.Run run = cli().run("init", "--bootstrap-token-file", home.resolve("nope").toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(run.err()).contains("does not exist");
  }

  @Test
  void aDestructiveCommandInAScriptNeedsYes() throws IOException {
    Cli cli = cli();
    cli.run("config", "set", "endpoint", "http://127.0.0.1:" + closedPort());

    Cli.Run run = cli.run("emergency-stop", "--fleet", "--reason", "test");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.err()).contains("--yes");
  }

  @Test
  void aDestructiveCommandAtATerminalAsksAndNoMeansNothingIsDone() throws IOException {
    Cli cli = cli();
    cli.run("config", "set", "endpoint", "http://127.0.0.1:" + closedPort());
    KeyFile.write(
        home.resolve("operator.key"),
        new Credentials("op-0123456789abcdef", 1, SigningKey.generate()));

    Cli.Run no = cli.interactive("n\n", "emergency-stop", "--fleet", "--reason", "test");
    Cli.Run empty = cli.interactive("", "bots", "revoke", "bot-0123456789abcdef", "--reason", "x");

    assertThat(no.exitCode()).isEqualTo(ExitCodes.NOT_CONFIRMED);
    assertThat(no.err()).contains("[y/N]").contains("nothing was done");
    assertThat(empty.exitCode()).isEqualTo(ExitCodes.NOT_CONFIRMED);
  }

  @Test
  void scopeOptionsExcludeEachOther() {
    Cli.Run both = cli().run("pause", "--fleet", "--group", "g", "--reason", "r");
    Cli.Run none = cli().run("pause", "--reason", "r");

    assertThat(both.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(none.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(none.err()).contains("--fleet").contains("--group").contains("--bot");
  }

  @Test
  void settingsAreKeptInTheHomeAndShownAsJson() throws IOException {
    Cli cli = cli();
    Cli.Run set = cli.run("config", "set", "endpoint.billing", "http://10.0.0.7:8085");
    Cli.Run bad = cli.run("config", "set", "endpoint.fleet", "not a url");
    Cli.Run unknown = cli.run("config", "set", "colour", "red");
    Cli.Run show = cli.run("config", "show", "-o", "json");

    assertThat(set.exitCode()).isZero();
    assertThat(Files.readString(home.resolve("config.properties")))
        .contains("endpoint.billing=http://10.0.0.7:8085");
    assertThat(bad.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(unknown.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(show.exitCode()).isZero();
    assertThat(show.out()).contains("http://10.0.0.7:8085").contains("http://127.0.0.1:8080");
  }

  @Test
  void aBadDurationNamesTheOption() {
    Cli.Run run = cli().run("bots", "list", "--timeout", "ten seconds");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.err()).contains("--timeout");
  }

  @Test
  void theCompletionScriptCoversTheCommands() {
    Cli.Run run = cli().run("completion");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("complete -F")
        .contains("fleetctl")
        .contains("emergency-stop")
        .contains("--bootstrap-token");
  }

  private static void collect(CommandLine command, List<CommandLine> all) {
    all.add(command);
    command.getSubcommands().values().forEach(sub -> collect(sub, all));
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
