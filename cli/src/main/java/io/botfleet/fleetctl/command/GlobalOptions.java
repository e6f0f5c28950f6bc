package io.botfleet.fleetctl.command;

import io.botfleet.fleetctl.output.Printer;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every command takes. */
public final class GlobalOptions {

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "Output: table (default) or json: the answer as protobuf JSON, for scripts.")
  Printer.Format output = Printer.Format.TABLE;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      description =
          "Deadline of each call, e.g. 5s, 1m (default: the `timeout` setting, else 10s).")
  String timeout;

  @Option(
      names = "--home",
      paramLabel = "DIR",
      description =
          "fleetctl's directory with the operator key and settings (default:"
              + " $BOTFLEET_HOME, else ~/.botfleet).")
  Path home;

  @Option(
      names = "--endpoint",
      paramLabel = "URL",
      description =
          "One address for every service for this run, e.g. https://botfleet.example.com"
              + " (overrides the settings).")
  String endpoint;
}
