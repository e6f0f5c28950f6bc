package io.botfleet.fleetctl.command;

import picocli.CommandLine.Option;

/** {@code --yes}: skip the confirmation of a destructive command (required without a terminal). */
public final class ConfirmOption {

  @Option(
      names = {"-y", "--yes"},
      description = "Do it without asking. Required when no one is at a terminal (scripts).")
  boolean yes;
}
