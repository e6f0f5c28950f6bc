package io.botfleet.fleetctl;

import io.botfleet.fleetctl.command.BotsCommand;
import io.botfleet.fleetctl.command.CommandCommand;
import io.botfleet.fleetctl.command.CompletionCommand;
import io.botfleet.fleetctl.command.ConfigCommand;
import io.botfleet.fleetctl.command.CostsCommand;
import io.botfleet.fleetctl.command.DeployCommand;
import io.botfleet.fleetctl.command.EventsCommand;
import io.botfleet.fleetctl.command.FailoverCommand;
import io.botfleet.fleetctl.command.FleetCommand;
import io.botfleet.fleetctl.command.GroupsCommand;
import io.botfleet.fleetctl.command.HealthCommand;
import io.botfleet.fleetctl.command.IdentitiesCommand;
import io.botfleet.fleetctl.command.InitCommand;
import io.botfleet.fleetctl.command.KeysCommand;
import io.botfleet.fleetctl.command.OperatorsCommand;
import io.botfleet.fleetctl.command.PermsCommand;
import io.botfleet.fleetctl.command.ScopeCommands;
import io.botfleet.fleetctl.command.SlaCommand;
import io.botfleet.fleetctl.command.StatusCommand;
import io.botfleet.fleetctl.command.WebhooksCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code fleetctl}: the operator's command line for botfleet. */
@Command(
    name = "fleetctl",
    scope = ScopeType.INHERIT,
    mixinStandardHelpOptions = true,
    versionProvider = Fleetctl.Version.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    header = "Run a botfleet fleet from the terminal: every operator call of the six services.",
    description = {
      "Calls are signed with your operator key (~/.botfleet/operator.key, made by `fleetctl"
          + " init`), each with a deadline (--timeout). Results are aligned tables, or protobuf"
          + " JSON with -o json. Destructive commands ask first unless --yes.",
    },
    commandListHeading = "%nCommands:%n",
    subcommands = {
      InitCommand.class,
      ConfigCommand.class,
      StatusCommand.class,
      BotsCommand.class,
      ScopeCommands.Pause.class,
      ScopeCommands.Resume.class,
      ScopeCommands.EmergencyStop.class,
      CommandCommand.class,
      FailoverCommand.class,
      GroupsCommand.class,
      FleetCommand.class,
      KeysCommand.class,
      IdentitiesCommand.class,
      OperatorsCommand.class,
      PermsCommand.class,
      HealthCommand.class,
      WebhooksCommand.class,
      SlaCommand.class,
      DeployCommand.class,
      CostsCommand.class,
      EventsCommand.class,
      CompletionCommand.class,
    },
    footerHeading = "%n",
    footer = {
      "Start: fleetctl init --bootstrap-token bfb_… (first admin) or fleetctl init --token bfe_…",
      "Every command: fleetctl <command> --help (each with an example). docs/fleetctl.md.",
      "",
      ExitCodes.HELP
    })
public final class Fleetctl implements Callable<Integer> {

  @Spec CommandSpec spec;

  private final Terminal terminal;

  /** The root command, talking to {@code terminal}. */
  public Fleetctl(Terminal terminal) {
    this.terminal = terminal;
  }

  /** The terminal of this run. */
  public Terminal terminal() {
    return terminal;
  }

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "Missing command");
  }

  /** The command line, wired to {@code terminal}. */
  public static CommandLine commandLine(Terminal terminal) {
    CommandLine cli = new CommandLine(new Fleetctl(terminal));
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setOut(terminal.out());
    cli.setErr(terminal.err());
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          if (e instanceof CliException cli1) {
            terminal.err().println("fleetctl: " + cli1.getMessage());
            return cli1.exitCode();
          }
          terminal.err().println("fleetctl: unexpected error: " + e);
          if (terminal.env("BOTFLEET_DEBUG").isPresent()) {
            e.printStackTrace(terminal.err());
          }
          terminal.err().flush();
          return ExitCodes.ERROR;
        });
    return cli;
  }

  /** Runs fleetctl with {@code args} and returns its exit code. */
  public static int run(Terminal terminal, String... args) {
    int code = commandLine(terminal).execute(args);
    terminal.out().flush();
    terminal.err().flush();
    return code;
  }

  /** The entry point. */
  public static void main(String[] args) {
    System.exit(run(Terminal.system(), args));
  }

  /** The version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Fleetctl.class.getPackage().getImplementationVersion();
      return new String[] {"fleetctl " + (version == null ? "(development build)" : version)};
    }
  }
}
