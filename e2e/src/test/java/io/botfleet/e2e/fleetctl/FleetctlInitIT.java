package io.botfleet.e2e.fleetctl;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import io.botfleet.identity.v1.CreateEnrollmentTokenResponse;
import io.botfleet.identity.v1.Identity;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

/** `fleetctl init`: the first administrator, an operator an admin adds, and what roles allow. */
class FleetctlInitIT {

  final FleetctlFleet fleet = FleetctlFleet.get();

  @Test
  void theBootstrapAdminOwnsAPrivateKeyOnlyTheirUserCanRead() throws Exception {
    Cli.Run run = fleet.bootstrap;

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).contains("Enrolled op-").contains("e2e-admin").contains("admin");
    var key = fleet.admin.home().resolve("operator.key");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fleet.admin.home())))
        .isEqualTo("rwx------");
    assertThat(fleet.admin.home().resolve("operator.key.pending")).doesNotExist();
    assertThat(fleet.fleet.bootstrapTokenFile()).doesNotExist();
  }

  @Test
  void initTwiceInOneHomeKeepsTheFirstKey() throws Exception {
    byte[] before = Files.readAllBytes(fleet.admin.home().resolve("operator.key"));

    Cli.Run run = fleet.admin.run("init", "--bootstrap-token", "bfb_again");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(6);
    assertThat(run.err()).contains("already holds the key");
    assertThat(Files.readAllBytes(fleet.admin.home().resolve("operator.key"))).isEqualTo(before);
  }

  @Test
  void aSecondBootstrapIsRefusedOnceAnAdminExists() {
    Cli other = Cli.newOperator(fleet.fleet, "late");

    String wellFormed = "bfb_" + "A".repeat(43);

    Cli.Run run = other.run("init", "--bootstrap-token", wellFormed, "--name", "mallory");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(6);
    assertThat(run.err()).contains("FAILED_PRECONDITION").contains("BOOTSTRAP_DONE");
    assertThat(other.home().resolve("operator.key")).doesNotExist();
  }

  @Test
  void anOperatorEnrollsWithTheTokenAnAdminIssuedAndAViewerIsDeniedChanges() throws Exception {
    String name = FleetctlFleet.unique("viewer");
    Cli.Run created =
        fleet.admin.run("operators", "create", name, "--role", "viewer", "-o", "json");
    assertThat(created.exitCode()).as(created.toString()).isZero();
    CreateEnrollmentTokenResponse.Builder token = CreateEnrollmentTokenResponse.newBuilder();
    JsonFormat.parser().merge(created.out(), token);
    Cli viewer = Cli.newOperator(fleet.fleet, name);

    Cli.Run init = viewer.run("init", "--token", token.getToken(), "--name", name, "-o", "json");
    Cli.Run reads = viewer.run("bots", "list");
    Cli.Run pauses = viewer.run("pause", "--fleet", "--reason", "viewer tries", "--yes");
    Cli.Run replay = Cli.newOperator(fleet.fleet, name).run("init", "--token", token.getToken());

    assertThat(init.exitCode()).as(init.toString()).isZero();
    Identity.Builder identity = Identity.newBuilder();
    JsonFormat.parser().merge(init.out(), identity);
    assertThat(identity.getName()).isEqualTo(name);
    assertThat(identity.getId()).isEqualTo(token.getAgentId());
    assertThat(reads.exitCode()).as(reads.toString()).isZero();
    assertThat(pauses.exitCode()).as(pauses.toString()).isEqualTo(4);
    assertThat(pauses.err()).contains("PERMISSION_DENIED");
    assertThat(replay.exitCode()).as("a used token: " + replay).isEqualTo(4);
  }
}
