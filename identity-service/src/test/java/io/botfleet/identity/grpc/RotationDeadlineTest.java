package io.botfleet.identity.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Timestamp;
import io.botfleet.common.auth.KeyCache;
import io.botfleet.common.v1.ListEventsRequest;
import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.PostgresTestResource;
import io.botfleet.identity.IdentityTestSupport;
import io.botfleet.identity.v1.GetIdentityRequest;
import io.botfleet.identity.v1.GetIdentityResponse;
import io.botfleet.identity.v1.Identity;
import io.botfleet.identity.v1.KeyRotation;
import io.botfleet.identity.v1.ListIdentitiesRequest;
import io.botfleet.identity.v1.RegisterRotatedKeyResponse;
import io.botfleet.signing.SigningKey;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * identity-service drives rotation deadlines itself, from the database: a registered key becomes
 * current when the grace period ends, a rotation whose key never came is cancelled. Scheduled
 * rotations that are due are listed for fleet-service to begin.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
class RotationDeadlineTest extends IdentityTestSupport {

  @Inject KeyCache keyCache;
  @Inject EntityManager entityManager;

  @Test
  void theGracePeriodRunsFromTheRegistrationOfTheNewKey() {
    Bot bot = registerBot(keyCache);
    KeyRotation rotation = beginRotation(bot);

    RegisterRotatedKeyResponse registered =
        bot.stub().registerRotatedKey(rotatedKey(bot, rotation, SigningKey.generate()));

    assertThat(registered.getRotation().getDeadlineTime().getSeconds())
        .isBetween(
            Instant.now().plus(Duration.ofHours(24)).getEpochSecond() - 60,
            Instant.now().plus(Duration.ofHours(24)).getEpochSecond() + 5);
  }

  @Test
  void aRegisteredKeyBecomesCurrentByItselfWhenTheGracePeriodEnds() {
    Bot bot = registerBot(keyCache);
    KeyRotation rotation = beginRotation(bot);
    SigningKey newKey = SigningKey.generate();
    bot.stub().registerRotatedKey(rotatedKey(bot, rotation, newKey));

    passDeadline(rotation);

    await().atMost(Duration.ofSeconds(10)).until(() -> state(rotation).equals("COMPLETED"));
    GetIdentityResponse after = asAdmin(bot);
    assertThat(after.getIdentity().getKeyVersion()).isEqualTo(2);
    assertThat(after.getIdentity().getPublicKey()).isEqualTo(newKey.publicKey().base64());
    assertThat(after.getKeysList())
        .extracting(k -> k.getKeyVersion() + ":" + k.getStatus())
        .containsExactly("1:KEY_STATUS_RETIRED", "2:KEY_STATUS_CURRENT");
    var event =
        audit(admin(keyCache))
            .listEvents(
                ListEventsRequest.newBuilder()
                    .setAgentId(bot.id())
                    .addTypes("fleet.key_rotated")
                    .build())
            .getEvents(0);
    assertThat(event.getActor()).isEqualTo("system");
    assertThat(event.getPayload().getFieldsMap().get("automatic").getBoolValue()).isTrue();
  }

  @Test
  void aRotationWhoseKeyNeverCameIsCancelledAndTheOldKeyStaysCurrent() {
    Bot bot = registerBot(keyCache);
    Timestamp scheduled = asAdmin(bot).getIdentity().getNextRotationTime();
    KeyRotation rotation = beginRotation(bot);

    passDeadline(rotation);

    await().atMost(Duration.ofSeconds(10)).until(() -> state(rotation).equals("CANCELLED"));
    GetIdentityResponse after = asAdmin(bot);
    assertThat(after.getIdentity().hasRotation()).isFalse();
    assertThat(after.getIdentity().getKeyVersion()).isEqualTo(1);
    assertThat(after.getIdentity().getNextRotationTime()).isEqualTo(scheduled);
    assertThat(bot.stub().getIdentity(get(bot.id())).getIdentity().getId()).isEqualTo(bot.id());
    assertThat(eventCount(keyCache, bot.id(), "fleet.key_rotation_cancelled")).isEqualTo(1);
  }

  @Test
  void dueScheduledRotationsAreListedUntilOneBegins() {
    String group = unique("due");
    Bot due = registerBot(keyCache, botRequest(unique("due")).setGroup(group));
    Bot notDue = registerBot(keyCache, botRequest(unique("fresh")).setGroup(group));
    sql(
        entityManager,
        "update identities set next_rotation_at = now() - interval '1 hour' where id = :id",
        Map.of("id", due.id()));
    Instant now = Instant.now();

    assertThat(dueIn(group, now)).containsExactly(due.id());
    assertThat(dueIn(group, now.plus(Duration.ofDays(31))))
        .containsExactlyInAnyOrder(due.id(), notDue.id());

    beginRotation(due);

    assertThat(dueIn(group, now)).isEmpty();
  }

  private List<String> dueIn(String group, Instant before) {
    return identity(fleetService())
        .listIdentities(
            ListIdentitiesRequest.newBuilder()
                .setGroup(group)
                .setRotationDueBefore(
                    Timestamp.newBuilder()
                        .setSeconds(before.getEpochSecond())
                        .setNanos(before.getNano()))
                .build())
        .getIdentitiesList()
        .stream()
        .map(Identity::getId)
        .toList();
  }

  /** Moves the rotation's deadline into the past, as if its grace period had run out. */
  private void passDeadline(KeyRotation rotation) {
    sql(
        entityManager,
        "update key_rotations set deadline_at = now() - interval '1 second' where id = :id",
        Map.of("id", UUID.fromString(rotation.getId())));
  }

  private String state(KeyRotation rotation) {
    return (String)
        query(
                entityManager,
                "select state from key_rotations where id = :id",
                Map.of("id", UUID.fromString(rotation.getId())))
            .get(0);
  }

  private GetIdentityResponse asAdmin(Bot bot) {
    return identity(admin(keyCache)).getIdentity(get(bot.id()));
  }

  private static GetIdentityRequest get(String agentId) {
    return GetIdentityRequest.newBuilder().setAgentId(agentId).build();
  }
}
