package io.botfleet.fleet.grpc;

import static io.botfleet.devkit.StatusDetails.errorInfo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.botfleet.common.v1.PrincipalKind;
import io.botfleet.devkit.GreenHelixStandIn;
import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.PostgresTestResource;
import io.botfleet.fleet.FleetTestSupport;
import io.botfleet.fleet.TestBot;
import io.botfleet.fleet.fakes.FakeServicesTestResource;
import io.botfleet.fleet.v1.AckState;
import io.botfleet.fleet.v1.Bot;
import io.botfleet.fleet.v1.InitFleetRequest;
import io.botfleet.fleet.v1.InitFleetResponse;
import io.botfleet.fleet.v1.SendCommandRequest;
import io.botfleet.identity.v1.RegisterAgentRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
@QuarkusTestResource(FakeServicesTestResource.class)
class InitFleetTest extends FleetTestSupport {

  @Test
  void theFleetManagerIsRegisteredOnceWithItsEventSchemas() {
    InitFleetResponse first =
        fleet(admin()).initFleet(InitFleetRequest.newBuilder().setOrganization(ORG).build());
    InitFleetResponse again =
        fleet(admin()).initFleet(InitFleetRequest.newBuilder().setOrganization(ORG).build());

    assertThat(first.getFleetManagerName()).isEqualTo("fleet-manager-acme");
    assertThat(again.getFleetManagerId()).isEqualTo(first.getFleetManagerId());
    assertThat(first.getEventTypesList())
        .contains(
            "fleet.emergency_stop",
            "fleet.identity_revoked",
            "fleet.failover",
            "fleet.bot_dead",
            "fleet.sla_violation");
    assertThat(fakes().identity.recorder.<RegisterAgentRequest>requests("RegisterAgent"))
        .filteredOn(r -> r.getKind() == PrincipalKind.PRINCIPAL_KIND_SERVICE)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getName()).isEqualTo("fleet-manager-acme");
              assertThat(r.getRole()).isEqualTo("fleet_manager");
              assertThat(r.getPublicKey()).isNotEmpty();
            });
    GreenHelixStandIn greenHelix = GreenHelixTestResource.standIn();
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () -> {
              assertThat(greenHelix.accepted("register_agent"))
                  .anySatisfy(
                      c -> {
                        assertThat(c.input().get("name").asText()).isEqualTo("fleet-manager-acme");
                        assertThat(c.input().get("metadata").get("role").asText())
                            .isEqualTo("fleet_manager");
                        assertThat(c.input().get("metadata").get("organization").asText())
                            .isEqualTo(ORG);
                      });
              assertThat(greenHelix.accepted("create_event_schema"))
                  .extracting(c -> c.input().get("event_type").asText())
                  .containsAll(first.getEventTypesList());
            });
    assertThat(greenHelix.violations()).isEmpty();
    assertThatThrownBy(
            () ->
                fleet(admin())
                    .initFleet(InitFleetRequest.newBuilder().setOrganization("other-org").build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
              assertThat(errorInfo(e).getReason()).isEqualTo("FLEET_EXISTS");
            });
  }

  @Test
  void everyCommandIsMirroredToGreenHelixAsOneMessagePerBotAndAnEvent() {
    String group = "mirror-" + unique();
    Bot one = register(group, "okx");
    Bot two = register(group, "okx");
    String commandId;
    try (TestBot stream = connect(one).autoAck(AckState.ACK_STATE_DONE)) {
      commandId =
          fleet(operator())
              .sendCommand(
                  SendCommandRequest.newBuilder()
                      .setScope(group(group))
                      .setType("update_params")
                      .setRequestId(requestId())
                      .build())
              .getCommand()
              .getId();
      stream.next();
    }
    GreenHelixStandIn greenHelix = GreenHelixTestResource.standIn();
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () -> {
              List<GreenHelixStandIn.Call> messages =
                  greenHelix.accepted("send_message").stream()
                      .filter(
                          c ->
                              c.input()
                                  .get("payload")
                                  .path("command")
                                  .asText()
                                  .equals("update_params"))
                      .filter(
                          c ->
                              List.of(one.getId(), two.getId())
                                  .contains(c.input().get("to_agent_id").asText()))
                      .toList();
              assertThat(messages)
                  .extracting(c -> c.input().get("to_agent_id").asText())
                  .containsExactlyInAnyOrder(one.getId(), two.getId());
              assertThat(messages)
                  .allSatisfy(
                      c -> assertThat(c.input().get("message_type").asText()).isEqualTo("command"));
              assertThat(greenHelix.accepted("publish_event"))
                  .anySatisfy(
                      c -> {
                        assertThat(c.input().get("event_type").asText())
                            .isEqualTo("fleet.command_issued");
                        assertThat(c.input().get("payload").get("command_id").asText())
                            .isEqualTo(commandId);
                      });
            });
    assertThat(greenHelix.violations()).isEmpty();
  }
}
