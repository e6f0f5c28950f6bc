package io.botfleet.e2e.fleetctl;

import io.botfleet.e2e.RunningFleet;
import io.botfleet.fleetctl.Fleetctl;
import io.botfleet.fleetctl.Terminal;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * fleetctl for one operator: its own home (key and settings) under e2e/target, endpoints pointing
 * at the {@link RunningFleet}. {@link #run} runs the CLI in-process on a captured terminal (the
 * same code path as the jar's main, minus System.exit); {@link #launcher} runs ./fleetctl as a real
 * process.
 */
final class Cli {

  /** One run: the exit code and what went to stdout and stderr. */
  record Run(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  private final Path home;

  private Cli(Path home) {
    this.home = home;
  }

  /** A fresh operator home with the fleet's six endpoints set through `fleetctl config set`. */
  static Cli newOperator(RunningFleet fleet, String name) {
    try {
      Path home =
          Files.createDirectories(fleet.root().resolve("e2e/target/fleetctl-homes"))
              .resolve(name + "-" + System.nanoTime());
      Cli cli = new Cli(home);
      for (String service : RunningFleet.SERVICES) {
        Run set =
            cli.run(
                "config", "set", "endpoint." + service, "http://127.0.0.1:" + fleet.port(service));
        if (set.exitCode() != 0) {
          throw new IllegalStateException("config set failed: " + set);
        }
      }
      return cli;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** This operator's fleetctl directory. */
  Path home() {
    return home;
  }

  /** Runs fleetctl as in a script (no terminal: destructive commands need --yes). */
  Run run(String... args) {
    return run(false, "", args);
  }

  /** Runs fleetctl with a person at the terminal who types {@code input}. */
  Run interactive(String input, String... args) {
    return run(true, input, args);
  }

  private Run run(boolean interactive, String input, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Terminal terminal =
        new Terminal(
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            new BufferedReader(new StringReader(input)),
            interactive,
            Map.of("BOTFLEET_HOME", home.toString()));
    int code = Fleetctl.run(terminal, args);
    return new Run(code, out.toString(), err.toString());
  }

  /** Runs the repository's ./fleetctl launcher (the shaded jar) as its own process. */
  Run launcher(Path root, String... args) {
    List<String> command = new ArrayList<>();
    command.add(root.resolve("fleetctl").toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile());
    builder.environment().put("BOTFLEET_HOME", home.toString());
    try {
      Path out = Files.createTempFile(home.getParent(), "out", ".txt");
      Path err = Files.createTempFile(home.getParent(), "err", ".txt");
      builder.redirectOutput(out.toFile()).redirectError(err.toFile());
      Process process = builder.start();
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("./fleetctl " + args[0] + " did not end in 120 s");
      }
      return new Run(
          process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
