package io.botfleet.e2e.fleetctl;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import io.botfleet.e2e.RunningFleet;
import org.junit.jupiter.api.Test;

/** ./fleetctl as an operator's shell runs it: a real process, its real exit codes. */
class FleetctlLauncherIT {

  final FleetctlFleet fleet = FleetctlFleet.get();

  @Test
  void theLauncherRunsTheJarAndItsExitCodesReachTheShell() throws Exception {
    var root = fleet.fleet.root();

    Cli.Run status = fleet.admin.launcher(root, "status", "-o", "json");
    Cli.Run missing = fleet.admin.launcher(root, "bots", "get", "nobody-here");
    Cli.Run noKey = Cli.newOperator(fleet.fleet, "nokey").launcher(root, "bots", "list");

    assertThat(status.exitCode()).as(status.toString()).isZero();
    Struct.Builder answer = Struct.newBuilder();
    JsonFormat.parser().merge(status.out(), answer);
    Struct services = answer.getFieldsOrThrow("services").getStructValue();
    for (String service : RunningFleet.SERVICES) {
      assertThat(services.getFieldsOrThrow(service).getStructValue().getFieldsOrThrow("state"))
          .extracting(Value::getStringValue)
          .isEqualTo("OK");
    }
    assertThat(answer.getFieldsOrThrow("fleet").getStructValue().getFieldsMap())
        .containsKey("totalBots");
    assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(3);
    assertThat(missing.err()).contains("nobody-here");
    assertThat(noKey.exitCode()).as(noKey.toString()).isEqualTo(4);
  }
}
