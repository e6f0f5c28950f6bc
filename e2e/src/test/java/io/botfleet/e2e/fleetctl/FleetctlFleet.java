package io.botfleet.e2e.fleetctl;

import io.botfleet.e2e.RunningFleet;

/**
 * The running fleet as fleetctl's tests share it: its first administrator, made once per test JVM
 * by {@code fleetctl init --bootstrap-token-file} (the bootstrap token is one-time), and the fleet
 * initialised for organization "e2e" by that admin.
 */
final class FleetctlFleet {

  private static FleetctlFleet instance;
  private static RuntimeException failure;

  final RunningFleet fleet;
  final Cli admin;

  /** What the bootstrap `fleetctl init` answered (asserted by FleetctlInitIT). */
  final Cli.Run bootstrap;

  private FleetctlFleet() {
    fleet = RunningFleet.get();
    admin = Cli.newOperator(fleet, "admin");
    bootstrap =
        admin.run(
            "init",
            "--bootstrap-token-file",
            fleet.bootstrapTokenFile().toString(),
            "--name",
            "e2e-admin",
            "--organization",
            "e2e");
    if (bootstrap.exitCode() != 0) {
      throw new IllegalStateException("fleetctl init as bootstrap admin failed: " + bootstrap);
    }
    Cli.Run init = admin.run("fleet", "init", "--organization", "e2e");
    if (init.exitCode() != 0) {
      throw new IllegalStateException("fleetctl fleet init failed: " + init);
    }
  }

  static synchronized FleetctlFleet get() {
    // The bootstrap token is one-time: a failed set-up is remembered, never tried twice.
    if (failure != null) {
      throw failure;
    }
    if (instance == null) {
      try {
        instance = new FleetctlFleet();
      } catch (RuntimeException e) {
        failure = e;
        throw e;
      }
    }
    return instance;
  }

  /** A unique name for this test's bots and groups (the fleet is shared by every test). */
  static String unique(String prefix) {
    return prefix + "-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
  }
}
