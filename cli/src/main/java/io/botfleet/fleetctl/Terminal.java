package io.botfleet.fleetctl;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * What fleetctl talks to besides the services: its output and error streams, the operator's
 * answers, the environment, and whether a person is at a terminal. Tests give their own.
 *
 * @param out results (tables, JSON)
 * @param err messages and errors
 * @param in answers to confirmation prompts
 * @param interactive true when a person can answer prompts (stdin and stdout are a terminal)
 * @param env the environment variables
 */
public record Terminal(
    PrintWriter out,
    PrintWriter err,
    BufferedReader in,
    boolean interactive,
    Map<String, String> env) {

  /** The process's own terminal. */
  public static Terminal system() {
    return new Terminal(
        new PrintWriter(System.out, true, StandardCharsets.UTF_8),
        new PrintWriter(System.err, true, StandardCharsets.UTF_8),
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)),
        System.console() != null,
        System.getenv());
  }

  /** An environment variable, if set and not blank. */
  public Optional<String> env(String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
  }
}
