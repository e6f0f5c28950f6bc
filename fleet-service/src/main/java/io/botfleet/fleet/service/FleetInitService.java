package io.botfleet.fleet.service;

import io.botfleet.common.auth.ServiceCredentials;
import io.botfleet.common.error.BotfleetException;
import io.botfleet.common.error.InvalidArgumentException;
import io.botfleet.common.greenhelix.Outbox;
import io.botfleet.fleet.client.IdentityClient;
import io.botfleet.fleet.domain.FleetEventTypes;
import io.botfleet.fleet.persistence.FleetEntity;
import io.botfleet.fleet.persistence.FleetRepository;
import io.botfleet.signing.SigningKey;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * InitFleet: the fleet manager identity {@code fleet-manager-{org}} (in identity-service, with
 * fleet-service's own public key, and in GreenHelix with the guide's metadata) and a GreenHelix
 * event schema for every fleet.* event type. Once per installation.
 */
@ApplicationScoped
public class FleetInitService {

  private static final Pattern ORGANIZATION = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
  private static final List<String> CAPABILITIES =
      List.of(
          "fleet_management", "bot_orchestration", "health_monitoring", "deployment_coordination");

  @Inject IdentityClient identity;
  @Inject FleetRepository fleets;
  @Inject FleetEvents events;
  @Inject Outbox outbox;
  @Inject ServiceCredentials credentials;

  /**
   * The initialized fleet.
   *
   * @param fleetManagerId the fleet manager's agent id
   * @param fleetManagerName its name
   * @param eventTypes the event types with a schema
   */
  public record Initialized(
      String fleetManagerId, String fleetManagerName, List<String> eventTypes) {}

  /** Initializes the fleet (a second call with the same organization returns the first result). */
  public Initialized init(String organization) {
    if (organization == null || !ORGANIZATION.matcher(organization).matches()) {
      throw new InvalidArgumentException(
          "organization", "must be 1 to 64 of [a-z0-9-], starting with a letter or digit");
    }
    var existing = QuarkusTransaction.requiringNew().call(() -> fleets.findFleet());
    if (existing.isPresent()) {
      return sameOrRefuse(existing.get(), organization);
    }
    String name = "fleet-manager-" + organization;
    String description =
        "Fleet manager for "
            + organization
            + " trading bot fleet. Handles registration, commands, health, deployments.";
    String managerId =
        identity.registerFleetManager(
            organization,
            name,
            fleetManagerKey().publicKey().base64(),
            CAPABILITIES,
            description,
            "init-fleet-" + organization);
    try {
      QuarkusTransaction.requiringNew()
          .run(
              () -> {
                FleetEntity fleet = new FleetEntity();
                fleet.organization = organization;
                fleet.fleetManagerId = managerId;
                fleet.fleetManagerName = name;
                fleet.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
                fleets.persistAndFlush(fleet);
                events.refresh();
                Map<String, Object> metadata = new LinkedHashMap<>();
                metadata.put("role", "fleet_manager");
                metadata.put("organization", organization);
                Map<String, Object> register = new LinkedHashMap<>();
                register.put("name", name);
                register.put("description", description);
                register.put("capabilities", CAPABILITIES);
                register.put("metadata", metadata);
                outbox.enqueue(managerId, "register_agent", register);
                for (String type : FleetEventTypes.all()) {
                  outbox.enqueue(
                      managerId,
                      "create_event_schema",
                      Map.of("event_type", type, "schema", FleetEventTypes.schema(type)));
                }
                Map<String, Object> payload = new LinkedHashMap<>();
                payload.put("fleet_manager_id", managerId);
                payload.put("fleet_manager_name", name);
                payload.put("organization", organization);
                events.record(FleetEventTypes.FLEET_INITIALIZED, null, payload);
              });
    } catch (RuntimeException e) {
      // Another replica initialized the fleet at the same moment.
      events.refresh();
      var winner = QuarkusTransaction.requiringNew().call(() -> fleets.findFleet());
      if (winner.isPresent()) {
        return sameOrRefuse(winner.get(), organization);
      }
      throw e;
    }
    Log.infof("Fleet %s initialized: fleet manager %s (%s)", organization, name, managerId);
    return new Initialized(managerId, name, FleetEventTypes.all());
  }

  /**
   * The fleet manager's own key, derived from fleet-service's service key so that every replica has
   * the same one. Not the service key itself: identity-service gives one public key to one identity
   * only, and svc-fleet already holds that one (found by the e2e tests: InitFleet was refused with
   * PUBLIC_KEY_IN_USE by the real identity-service).
   */
  private SigningKey fleetManagerKey() {
    byte[] seed = Base64.getDecoder().decode(credentials.get().key().seedBase64());
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update("BOTFLEET-FLEET-MANAGER-V1\n".getBytes(StandardCharsets.UTF_8));
      return SigningKey.fromSeed(sha256.digest(seed));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    } finally {
      Arrays.fill(seed, (byte) 0);
    }
  }

  private static Initialized sameOrRefuse(FleetEntity fleet, String organization) {
    if (!fleet.organization.equals(organization)) {
      throw BotfleetException.failedPrecondition(
          "FLEET_EXISTS",
          "this installation's fleet is " + fleet.organization + "; one fleet per installation",
          Map.of("organization", fleet.organization));
    }
    return new Initialized(fleet.fleetManagerId, fleet.fleetManagerName, FleetEventTypes.all());
  }
}
