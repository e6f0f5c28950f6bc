package io.botfleet.identity.grpc;

import static io.botfleet.devkit.StatusDetails.badRequestFields;
import static io.botfleet.devkit.StatusDetails.errorInfo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.botfleet.common.auth.KeyCache;
import io.botfleet.common.v1.OperatorRole;
import io.botfleet.common.v1.PrincipalKind;
import io.botfleet.devkit.GreenHelixStandIn;
import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.PostgresTestResource;
import io.botfleet.identity.IdentityTestSupport;
import io.botfleet.identity.v1.BeginKeyRotationRequest;
import io.botfleet.identity.v1.CompleteKeyRotationRequest;
import io.botfleet.identity.v1.GetIdentityRequest;
import io.botfleet.identity.v1.GetIdentityResponse;
import io.botfleet.identity.v1.KeyRotation;
import io.botfleet.identity.v1.KeyRotationState;
import io.botfleet.identity.v1.RegisterAgentRequest;
import io.botfleet.identity.v1.RegisterRotatedKeyResponse;
import io.botfleet.signing.SigningKey;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Rotation without downtime: begin → the bot registers its new key signed with the current one →
 * both verify → the bot confirms with the new key → the old one is retired.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
class KeyRotationTest extends IdentityTestSupport {

  @Inject KeyCache keyCache;

  @Test
  void aRotationTakesTheBotFromItsOldKeyToItsNewOneWithBothValidInBetween() {
    Bot bot = registerBot(keyCache);
    SigningKey oldKey = bot.credentials.get().key();

    KeyRotation begun = beginRotation(bot);
    assertThat(begun.getState()).isEqualTo(KeyRotationState.KEY_ROTATION_STATE_AWAITING_KEY);
    assertThat(begun.getFromKeyVersion()).isEqualTo(1);
    assertThat(begun.getToKeyVersion()).isEqualTo(2);
    assertThat(begun.getRequestedBy()).isEqualTo("svc-fleet");
    assertThat(begun.getDeadlineTime().getSeconds() - begun.getBeginTime().getSeconds())
        .isEqualTo(Duration.ofHours(24).toSeconds());
    assertThat(self(bot).getIdentity().getRotation().getId()).isEqualTo(begun.getId());

    SigningKey newKey = SigningKey.generate();
    RegisterRotatedKeyResponse registered =
        bot.stub().registerRotatedKey(rotatedKey(bot, begun, newKey));
    assertThat(registered.getKeyVersion()).isEqualTo(2);
    assertThat(registered.getRotation().getState())
        .isEqualTo(KeyRotationState.KEY_ROTATION_STATE_AWAITING_CONFIRMATION);
    assertThat(registered.getEffectiveTime().getSeconds())
        .isGreaterThanOrEqualTo(Instant.now().getEpochSecond() - 1);

    await().atMost(Duration.ofSeconds(5)).until(() -> keyCache.find(bot.id(), 2).isPresent());
    assertThat(self(bot).getKeysList())
        .extracting(k -> k.getKeyVersion() + ":" + k.getStatus())
        .containsExactly("1:KEY_STATUS_CURRENT", "2:KEY_STATUS_NEXT");
    bot.use(2, newKey);
    assertThat(self(bot).getIdentity().getId()).isEqualTo(bot.id());
    bot.use(1, oldKey);
    assertThat(self(bot).getIdentity().getId()).isEqualTo(bot.id());

    bot.use(2, newKey);
    var completed =
        bot.stub()
            .completeKeyRotation(
                CompleteKeyRotationRequest.newBuilder()
                    .setAgentId(bot.id())
                    .setRotationId(begun.getId())
                    .build());
    assertThat(completed.getRotation().getState())
        .isEqualTo(KeyRotationState.KEY_ROTATION_STATE_COMPLETED);
    assertThat(completed.getIdentity().getKeyVersion()).isEqualTo(2);
    assertThat(completed.getIdentity().getPublicKey()).isEqualTo(newKey.publicKey().base64());
    assertThat(completed.getIdentity().hasRotation()).isFalse();
    assertThat(completed.getIdentity().getNextRotationTime().getSeconds())
        .isCloseTo(Instant.now().plus(Duration.ofDays(30)).getEpochSecond(), within(60));
    GetIdentityResponse after = self(bot);
    assertThat(after.getKeysList())
        .extracting(k -> k.getKeyVersion() + ":" + k.getStatus())
        .containsExactly("1:KEY_STATUS_RETIRED", "2:KEY_STATUS_CURRENT");
    assertThat(after.getKeys(0).hasRetireTime()).isTrue();

    await().atMost(Duration.ofSeconds(5)).until(() -> keyCache.find(bot.id(), 1).isEmpty());
    bot.use(1, oldKey);
    StatusRuntimeException retired = failure(() -> self(bot));
    assertThat(retired.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
  }

  @Test
  void theRotationIsReportedToGreenHelixWithTheGuidesMetrics() {
    GreenHelixStandIn greenHelix = GreenHelixTestResource.standIn();
    Bot bot = registerBot(keyCache);
    KeyRotation rotation = beginRotation(bot);
    SigningKey newKey = SigningKey.generate();
    bot.stub().registerRotatedKey(rotatedKey(bot, rotation, newKey));
    bot.use(2, newKey);
    await().atMost(Duration.ofSeconds(5)).until(() -> keyCache.find(bot.id(), 2).isPresent());
    bot.stub().completeKeyRotation(complete(bot, rotation));

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> metricsOf(greenHelix, bot.id()) != null && published(greenHelix, bot.id()));
    JsonNode metrics = metricsOf(greenHelix, bot.id());
    assertThat(metrics.get("key_rotation").asInt()).isEqualTo(1);
    assertThat(metrics.get("key_version").asInt()).isEqualTo(2);
    assertThat(Instant.parse(metrics.get("rotation_timestamp").asText()))
        .isBetween(Instant.now().minusSeconds(60), Instant.now());
    assertThat(greenHelix.violations()).isEmpty();
    assertThat(eventCount(keyCache, bot.id(), "fleet.key_rotation_begun")).isEqualTo(1);
    assertThat(eventCount(keyCache, bot.id(), "fleet.key_rotation_key_registered")).isEqualTo(1);
    assertThat(eventCount(keyCache, bot.id(), "fleet.key_rotated")).isEqualTo(1);
  }

  @Test
  void aSecondCompleteKeyRotationIsFailedPreconditionAndChangesNothing() {
    Bot bot = registerBot(keyCache);
    KeyRotation rotation = rotateFully(bot);

    StatusRuntimeException e =
        failure(() -> bot.stub().completeKeyRotation(complete(bot, rotation)));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(errorInfo(e).getReason()).isEqualTo("ROTATION_ALREADY_COMPLETED");
    assertThat(self(bot).getKeysList())
        .extracting(k -> k.getKeyVersion() + ":" + k.getStatus())
        .containsExactly("1:KEY_STATUS_RETIRED", "2:KEY_STATUS_CURRENT");
    assertThat(eventCount(keyCache, bot.id(), "fleet.key_rotated")).isEqualTo(1);
  }

  @Test
  void aBotConfirmsWithItsNewKeyOrNotAtAllButAnOperatorMayConfirmForIt() {
    Bot bot = registerBot(keyCache);
    KeyRotation rotation = beginRotation(bot);
    bot.stub().registerRotatedKey(rotatedKey(bot, rotation, SigningKey.generate()));

    StatusRuntimeException withOldKey =
        failure(() -> bot.stub().completeKeyRotation(complete(bot, rotation)));

    assertThat(withOldKey.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(errorInfo(withOldKey).getReason()).isEqualTo("CONFIRM_WITH_NEW_KEY");
    assertThat(self(bot).getIdentity().getKeyVersion()).isEqualTo(1);
    var byOperator =
        identity(operatorWithRole(keyCache, OperatorRole.OPERATOR_ROLE_OPERATOR))
            .completeKeyRotation(complete(bot, rotation));
    assertThat(byOperator.getIdentity().getKeyVersion()).isEqualTo(2);
  }

  @Test
  void completingBeforeTheNewKeyIsRegisteredIsFailedPrecondition() {
    Bot bot = registerBot(keyCache);
    KeyRotation rotation = beginRotation(bot);

    StatusRuntimeException e =
        failure(() -> identity(fleetService()).completeKeyRotation(complete(bot, rotation)));

    assertThat(errorInfo(e).getReason()).isEqualTo("ROTATION_KEY_NOT_REGISTERED");
  }

  @Test
  void oneRotationAtATimeForActiveBotsOnly() {
    Bot bot = registerBot(keyCache);
    KeyRotation running = beginRotation(bot);
    String operatorId =
        identity(admin(keyCache))
            .registerAgent(
                RegisterAgentRequest.newBuilder()
                    .setName(unique("ops"))
                    .setOrganization("acme")
                    .setKind(PrincipalKind.PRINCIPAL_KIND_OPERATOR)
                    .setOperatorRole(OperatorRole.OPERATOR_ROLE_VIEWER)
                    .setPublicKey(SigningKey.generate().publicKey().base64())
                    .build())
            .getIdentity()
            .getId();
    String pendingId =
        identity(admin(keyCache))
            .registerAgent(botRequest(unique("pending")).build())
            .getIdentity()
            .getId();

    StatusRuntimeException twice = failure(() -> beginRotation(bot));
    StatusRuntimeException operator = failure(() -> begin(operatorId, null));
    StatusRuntimeException pending = failure(() -> begin(pendingId, null));

    assertThat(errorInfo(twice).getReason()).isEqualTo("ROTATION_IN_PROGRESS");
    assertThat(errorInfo(twice).getMetadataMap()).containsEntry("rotation_id", running.getId());
    assertThat(errorInfo(operator).getReason()).isEqualTo("NOT_A_BOT");
    assertThat(errorInfo(pending).getReason()).isEqualTo("IDENTITY_NOT_ACTIVE");
  }

  @Test
  void aGracePeriodOutsideOneMinuteToSevenDaysIsInvalid() {
    Bot bot = registerBot(keyCache);

    StatusRuntimeException tooShort = failure(() -> begin(bot.id(), Duration.ofSeconds(30)));
    StatusRuntimeException tooLong = failure(() -> begin(bot.id(), Duration.ofDays(8)));

    assertThat(badRequestFields(tooShort)).containsExactly("grace_period");
    assertThat(badRequestFields(tooLong)).containsExactly("grace_period");
    assertThat(self(bot).getIdentity().hasRotation()).isFalse();
  }

  @Test
  void aViewerMayNotBeginARotationAndUnknownRotationsAreNotFound() {
    Bot bot = registerBot(keyCache);

    StatusRuntimeException viewer =
        failure(
            () ->
                identity(operatorWithRole(keyCache, OperatorRole.OPERATOR_ROLE_VIEWER))
                    .beginKeyRotation(
                        BeginKeyRotationRequest.newBuilder().setAgentId(bot.id()).build()));
    StatusRuntimeException unknown =
        failure(
            () ->
                identity(fleetService())
                    .completeKeyRotation(
                        CompleteKeyRotationRequest.newBuilder()
                            .setAgentId(bot.id())
                            .setRotationId(UUID.randomUUID().toString())
                            .build()));
    StatusRuntimeException malformed =
        failure(
            () ->
                identity(fleetService())
                    .completeKeyRotation(
                        CompleteKeyRotationRequest.newBuilder()
                            .setAgentId(bot.id())
                            .setRotationId("not-a-uuid")
                            .build()));

    assertThat(viewer.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(unknown.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(errorInfo(unknown).getReason()).isEqualTo("ROTATION_NOT_FOUND");
    assertThat(badRequestFields(malformed)).containsExactly("rotation_id");
  }

  /** Begins, registers and confirms a rotation; the bot ends on key version 2. */
  private KeyRotation rotateFully(Bot bot) {
    KeyRotation rotation = beginRotation(bot);
    SigningKey newKey = SigningKey.generate();
    bot.stub().registerRotatedKey(rotatedKey(bot, rotation, newKey));
    await().atMost(Duration.ofSeconds(5)).until(() -> keyCache.find(bot.id(), 2).isPresent());
    bot.use(2, newKey);
    bot.stub().completeKeyRotation(complete(bot, rotation));
    return rotation;
  }

  private static KeyRotation begin(String agentId, Duration grace) {
    BeginKeyRotationRequest.Builder request =
        BeginKeyRotationRequest.newBuilder().setAgentId(agentId);
    if (grace != null) {
      request.setGracePeriod(
          com.google.protobuf.Duration.newBuilder().setSeconds(grace.toSeconds()));
    }
    return identity(fleetService()).beginKeyRotation(request.build()).getRotation();
  }

  private static CompleteKeyRotationRequest complete(Bot bot, KeyRotation rotation) {
    return CompleteKeyRotationRequest.newBuilder()
        .setAgentId(bot.id())
        .setRotationId(rotation.getId())
        .build();
  }

  private static GetIdentityResponse self(Bot bot) {
    return bot.stub().getIdentity(GetIdentityRequest.newBuilder().setAgentId(bot.id()).build());
  }

  private static JsonNode metricsOf(GreenHelixStandIn greenHelix, String agentId) {
    return greenHelix.accepted("submit_metrics").stream()
        .filter(c -> c.input().get("agent_id").asText().equals(agentId))
        .map(c -> c.input().get("metrics"))
        .findFirst()
        .orElse(null);
  }

  private static boolean published(GreenHelixStandIn greenHelix, String agentId) {
    return greenHelix.accepted("publish_event").stream()
        .anyMatch(
            c ->
                c.input().get("event_type").asText().equals("fleet.key_rotated")
                    && c.input().get("payload").get("agent_id").asText().equals(agentId));
  }

  private static org.assertj.core.data.Offset<Long> within(long seconds) {
    return org.assertj.core.data.Offset.offset(seconds);
  }
}
