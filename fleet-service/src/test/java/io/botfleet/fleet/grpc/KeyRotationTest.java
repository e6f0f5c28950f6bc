package io.botfleet.fleet.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.PostgresTestResource;
import io.botfleet.fleet.FleetTestSupport;
import io.botfleet.fleet.TestBot;
import io.botfleet.fleet.fakes.FakeServicesTestResource;
import io.botfleet.fleet.service.KeyRotationScheduler;
import io.botfleet.fleet.v1.Bot;
import io.botfleet.fleet.v1.BotCommand;
import io.botfleet.identity.v1.BeginKeyRotationRequest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
@QuarkusTestResource(FakeServicesTestResource.class)
class KeyRotationTest extends FleetTestSupport {

  @Inject KeyRotationScheduler scheduler;

  @Test
  void aBotWhoseRotationIsDueIsToldToMakeAndRegisterANewKey() {
    Bot due = register("rotate-" + unique(), "binance");
    Bot notDue = register("keep-" + unique(), "binance");
    try (TestBot dueStream = connect(due);
        TestBot otherStream = connect(notDue)) {
      fakes().identity.makeDue(due.getId());

      scheduler.rotateDue();

      List<BeginKeyRotationRequest> begun = fakes().identity.recorder.requests("BeginKeyRotation");
      BeginKeyRotationRequest rotation = begun.get(begun.size() - 1);
      assertThat(rotation.getAgentId()).isEqualTo(due.getId());
      assertThat(rotation.getReason()).isEqualTo("scheduled");
      BotCommand command = dueStream.next();
      assertThat(command.getType()).isEqualTo("rotate_key");
      var payload = command.getPayload().getFieldsMap();
      assertThat(payload.get("rotation_id").getStringValue()).isNotEmpty();
      assertThat(payload.get("key_version").getNumberValue()).isEqualTo(2);
      assertThat(payload).containsKey("deadline").doesNotContainKey("new_public_key");
      otherStream.expectNothing(Duration.ofMillis(300));

      // A rotation in progress is not begun twice.
      scheduler.rotateDue();
      dueStream.expectNothing(Duration.ofMillis(300));
    }
  }
}
