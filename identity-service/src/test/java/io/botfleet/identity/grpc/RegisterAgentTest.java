package io.botfleet.identity.grpc;

import static io.botfleet.devkit.StatusDetails.badRequestFields;
import static io.botfleet.devkit.StatusDetails.errorInfo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.botfleet.common.auth.KeyCache;
import io.botfleet.common.v1.ListEventsRequest;
import io.botfleet.common.v1.OperatorRole;
import io.botfleet.common.v1.PrincipalKind;
import io.botfleet.devkit.GreenHelixStandIn;
import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.PostgresTestResource;
import io.botfleet.devkit.TestPrincipal;
import io.botfleet.identity.IdentityTestSupport;
import io.botfleet.identity.v1.GetIdentityRequest;
import io.botfleet.identity.v1.Identity;
import io.botfleet.identity.v1.IdentityStatus;
import io.botfleet.identity.v1.KeyStatus;
import io.botfleet.identity.v1.RegisterAgentRequest;
import io.botfleet.signing.Credentials;
import io.botfleet.signing.SigningKey;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
class RegisterAgentTest extends IdentityTestSupport {

  @Inject KeyCache keyCache;

  @Test
  void aBotThatBringsItsKeyIsActiveAtKeyVersionOneWithTheGuidesDefaults() {
    SigningKey key = SigningKey.generate();
    Identity bot =
        register(
            admin(keyCache), botRequest(unique("spot-arb")).setPublicKey(key.publicKey().base64()));

    assertThat(bot.getId()).matches("bot-[0-9a-f]{16}");
    assertThat(bot.getStatus()).isEqualTo(IdentityStatus.IDENTITY_STATUS_ACTIVE);
    assertThat(bot.getKeyVersion()).isEqualTo(1);
    assertThat(bot.getPublicKey()).isEqualTo(key.publicKey().base64());
    assertThat(bot.getKeyAlgorithm()).isEqualTo("ed25519");
    assertThat(bot.getRole()).isEqualTo("trading_bot");
    assertThat(bot.getCapabilitiesList()).containsExactly("trading", "metrics_reporting");
    assertThat(bot.getMaxPositionUsd()).isEqualTo("10000");
    assertThat(bot.getGroup()).isEqualTo("spot-arb");
  }

  @Test
  void aBotWithAKeyIsScheduledForRotationIn30DaysAndAnOperatorIsNot() {
    Identity bot =
        register(
            admin(keyCache),
            botRequest(unique("sched")).setPublicKey(SigningKey.generate().publicKey().base64()));
    Identity operator =
        register(
            admin(keyCache),
            RegisterAgentRequest.newBuilder()
                .setName(unique("op"))
                .setOrganization("acme")
                .setKind(PrincipalKind.PRINCIPAL_KIND_OPERATOR)
                .setOperatorRole(OperatorRole.OPERATOR_ROLE_VIEWER)
                .setPublicKey(SigningKey.generate().publicKey().base64()));

    long inThirtyDays = java.time.Instant.now().plus(Duration.ofDays(30)).getEpochSecond();
    assertThat(bot.getNextRotationTime().getSeconds()).isBetween(inThirtyDays - 60, inThirtyDays);
    assertThat(operator.hasNextRotationTime()).isFalse();
  }

  @Test
  void aPublicKeyAnotherIdentityHasIsAlreadyExists() {
    SigningKey key = SigningKey.generate();
    register(admin(keyCache), botRequest(unique("first")).setPublicKey(key.publicKey().base64()));

    assertThatThrownBy(
            () ->
                register(
                    admin(keyCache),
                    botRequest(unique("second")).setPublicKey(key.publicKey().base64())))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
              assertThat(errorInfo(e).getReason()).isEqualTo("PUBLIC_KEY_IN_USE");
            });
  }

  @Test
  void aBotWithoutAKeyWaitsForEnrollment() {
    Identity bot = register(admin(keyCache), botRequest(unique("perp")));

    assertThat(bot.getStatus()).isEqualTo(IdentityStatus.IDENTITY_STATUS_PENDING_ENROLLMENT);
    assertThat(bot.getKeyVersion()).isZero();
    assertThat(bot.getPublicKey()).isEmpty();
  }

  @Test
  void aTakenNameIsAlreadyExistsAndNamesTheExistingIdentity() {
    TestPrincipal admin = admin(keyCache);
    String name = unique("dup");
    Identity first = register(admin, botRequest(name));

    assertThatThrownBy(() -> register(admin, botRequest(name)))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
              var info = errorInfo(e);
              assertThat(info.getReason()).isEqualTo("IDENTITY_EXISTS");
              assertThat(info.getMetadataMap()).containsEntry("agent_id", first.getId());
            });
  }

  @Test
  void aRetryWithTheSameRequestIdReturnsTheFirstIdentity() {
    TestPrincipal admin = admin(keyCache);
    RegisterAgentRequest.Builder request =
        botRequest(unique("retry")).setRequestId(UUID.randomUUID().toString());

    Identity first = register(admin, request);
    Identity retried = register(admin, request);

    assertThat(retried.getId()).isEqualTo(first.getId());
  }

  @Test
  void malformedInputIsInvalidArgumentNamingEveryField() {
    RegisterAgentRequest.Builder request =
        botRequest("Not A Name!").setPublicKey("not-base64!").setMaxPositionUsd("lots");

    assertThatThrownBy(() -> register(admin(keyCache), request))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(badRequestFields(e)).containsExactly("max_position_usd", "public_key");
            });

    RegisterAgentRequest.Builder badName = botRequest("Not A Name!");
    assertThatThrownBy(() -> register(admin(keyCache), badName))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(badRequestFields(e)).containsExactly("name"));
  }

  @Test
  void aPublicKeyOfTheWrongLengthIsRefused() {
    RegisterAgentRequest.Builder request = botRequest(unique("short")).setPublicKey("AAAA");

    assertThatThrownBy(() -> register(admin(keyCache), request))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e ->
                assertThat(e.getStatus().getDescription())
                    .contains("public_key")
                    .contains("32 bytes"));
  }

  @Test
  void aViewerMayNotRegister() {
    TestPrincipal viewer =
        TestPrincipal.operator(OperatorRole.OPERATOR_ROLE_VIEWER).trustedBy(keyCache);

    assertThatThrownBy(() -> register(viewer, botRequest(unique("nope"))))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
  }

  @Test
  void getIdentityShowsEveryKeyVersion() {
    TestPrincipal admin = admin(keyCache);
    SigningKey key = SigningKey.generate();
    Identity bot =
        register(admin, botRequest(unique("keys")).setPublicKey(key.publicKey().base64()));

    var answer =
        identity(admin)
            .getIdentity(GetIdentityRequest.newBuilder().setAgentId(bot.getId()).build());

    assertThat(answer.getIdentity().getName()).isEqualTo(bot.getName());
    assertThat(answer.getKeysList())
        .singleElement()
        .satisfies(
            k -> {
              assertThat(k.getKeyVersion()).isEqualTo(1);
              assertThat(k.getStatus()).isEqualTo(KeyStatus.KEY_STATUS_CURRENT);
              assertThat(k.getPublicKey()).isEqualTo(key.publicKey().base64());
            });
  }

  @Test
  void aRegisteredBotAuthenticatesWithItsKeyAndMayReadOnlyItself() {
    TestPrincipal admin = admin(keyCache);
    SigningKey key = SigningKey.generate();
    Identity bot =
        register(admin, botRequest(unique("self")).setPublicKey(key.publicKey().base64()));
    Identity other = register(admin, botRequest(unique("other")));
    TestPrincipal asBot =
        new TestPrincipal(
            new io.botfleet.common.auth.Principal(
                bot.getId(),
                PrincipalKind.PRINCIPAL_KIND_BOT,
                OperatorRole.OPERATOR_ROLE_UNSPECIFIED,
                bot.getName()),
            new Credentials(bot.getId(), 1, key));

    // The key reaches this service's cache through the key feed, not through the test.
    await().atMost(Duration.ofSeconds(5)).until(() -> keyCache.find(bot.getId(), 1).isPresent());
    assertThat(
            identity(asBot)
                .getIdentity(GetIdentityRequest.newBuilder().setAgentId(bot.getId()).build())
                .getIdentity()
                .getId())
        .isEqualTo(bot.getId());
    assertThatThrownBy(
            () ->
                identity(asBot)
                    .getIdentity(GetIdentityRequest.newBuilder().setAgentId(other.getId()).build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
              assertThat(errorInfo(e).getReason()).isEqualTo("NOT_SELF");
            });
  }

  @Test
  void anUnknownIdentityIsNotFound() {
    assertThatThrownBy(
            () ->
                identity(admin(keyCache))
                    .getIdentity(
                        GetIdentityRequest.newBuilder().setAgentId("bot-0000000000000000").build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(errorInfo(e).getReason()).isEqualTo("IDENTITY_NOT_FOUND"));
  }

  @Test
  void theRegistrationIsInTheAuditLogWithWhoDidIt() {
    TestPrincipal admin = admin(keyCache);
    Identity bot = register(admin, botRequest(unique("audit")));

    var events =
        audit(admin)
            .listEvents(
                ListEventsRequest.newBuilder()
                    .setAgentId(bot.getId())
                    .addTypes("fleet.identity_registered")
                    .build())
            .getEventsList();

    assertThat(events)
        .singleElement()
        .satisfies(
            event -> {
              assertThat(event.getActor()).isEqualTo(admin.agentId());
              assertThat(event.getService()).isEqualTo("identity");
              assertThat(event.getPayload().getFieldsMap().get("name").getStringValue())
                  .isEqualTo(bot.getName());
            });
  }

  @Test
  void registeringABotSendsTheGuidesRegisterAgentThroughTheOutboxEvenThroughAnOutage() {
    GreenHelixStandIn greenHelix = GreenHelixTestResource.standIn();
    greenHelix.failNext(2, 503);
    SigningKey key = SigningKey.generate();
    String name = unique("gh");
    register(
        admin(keyCache),
        botRequest(name).setPublicKey(key.publicKey().base64()).setFleetManager("svc-fleet"));

    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                greenHelix.accepted("register_agent").stream()
                    .anyMatch(c -> c.input().get("name").asText().equals(name)));
    var call =
        greenHelix.accepted("register_agent").stream()
            .filter(c -> c.input().get("name").asText().equals(name))
            .findFirst()
            .orElseThrow();
    assertThat(call.input().get("metadata").get("role").asText()).isEqualTo("trading_bot");
    assertThat(call.input().get("metadata").get("group").asText()).isEqualTo("spot-arb");
    assertThat(call.input().get("metadata").get("public_key").asText())
        .isEqualTo(key.publicKey().base64());
    assertThat(call.input().get("capabilities")).hasSize(2);
    assertThat(greenHelix.violations()).isEmpty();
  }

  static Identity register(TestPrincipal principal, RegisterAgentRequest.Builder request) {
    return identity(principal).registerAgent(request.build()).getIdentity();
  }
}
