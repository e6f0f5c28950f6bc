package io.botfleet.fleetctl;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Runs fleetctl in-process on a captured terminal, with its home in a test directory. */
final class Cli {

  /** One run: the exit code and what went to stdout and stderr. */
  record Run(int exitCode, String out, String err) {}

  private final Map<String, String> env = new HashMap<>();

  /** fleetctl with its home (BOTFLEET_HOME) in {@code home}. */
  Cli(Path home) {
    env.put("BOTFLEET_HOME", home.toString());
  }

  Cli env(String name, String value) {
    env.put(name, value);
    return this;
  }

  Run run(String... args) {
    return run(false, "", args);
  }

  /** A run with a person at the terminal who types {@code input}. */
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
            Map.copyOf(env));
    int code = Fleetctl.run(terminal, args);
    return new Run(code, out.toString(), err.toString());
  }
}
