package io.botfleet.fleet.client;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import io.botfleet.common.error.BotfleetException;
import io.botfleet.common.grpc.RemoteErrors;
import io.botfleet.common.v1.PrincipalKind;
import io.botfleet.fleet.config.FleetConfig;
import io.botfleet.identity.v1.BeginKeyRotationRequest;
import io.botfleet.identity.v1.CreateEnrollmentTokenRequest;
import io.botfleet.identity.v1.GetIdentityRequest;
import io.botfleet.identity.v1.Identity;
import io.botfleet.identity.v1.IdentityServiceGrpc;
import io.botfleet.identity.v1.IdentityStatus;
import io.botfleet.identity.v1.KeyRotation;
import io.botfleet.identity.v1.ListIdentitiesRequest;
import io.botfleet.identity.v1.ListIdentitiesResponse;
import io.botfleet.identity.v1.RegisterAgentRequest;
import io.botfleet.identity.v1.RevokeIdentityRequest;
import io.grpc.Channel;
import io.quarkus.grpc.GrpcClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * fleet-service's calls to identity-service. Every call has a deadline; the global client
 * interceptor signs it as svc-fleet.
 */
@ApplicationScoped
public class IdentityClient {

  private static final String SERVICE = "identity-service";
  private static final RemoteErrors ERRORS = new RemoteErrors("fleet-service");

  /** Quarkus injects channels, not async stubs; signing applies to this channel. */
  @GrpcClient("identity")
  Channel channel;

  @Inject FleetConfig config;

  /**
   * What a bot's identity is registered with.
   *
   * @param name the bot's name
   * @param organization the fleet's organization
   * @param role trading_bot or withdrawal_agent
   * @param fleetManager the fleet manager's agent id
   * @param group group
   * @param exchange exchange
   * @param strategy strategy
   * @param version version
   * @param capabilities capabilities
   * @param maxPositionUsd largest position
   * @param metadata free-form metadata
   * @param requestId idempotency key for identity-service
   */
  public record BotIdentity(
      String name,
      String organization,
      String role,
      String fleetManager,
      String group,
      String exchange,
      String strategy,
      String version,
      List<String> capabilities,
      BigDecimal maxPositionUsd,
      Map<String, String> metadata,
      String requestId) {}

  /**
   * A one-time enrollment token.
   *
   * @param token the token (a secret: shown to the operator once, never stored or logged)
   * @param expiresAt when it expires
   */
  public record EnrollmentToken(String token, Instant expiresAt) {}

  /**
   * A rotation that began.
   *
   * @param rotationId its id
   * @param keyVersion the version the bot's new key will have
   * @param deadline when it is cancelled if the bot registered no key
   */
  public record Rotation(String rotationId, int keyVersion, Instant deadline) {}

  /**
   * An identity whose scheduled rotation is due.
   *
   * @param agentId its agent id
   * @param name its name
   */
  public record DueIdentity(String agentId, String name) {}

  /** Registers a bot without a key: it is PENDING_ENROLLMENT until it enrolls. Returns its id. */
  public String registerBot(BotIdentity bot) {
    RegisterAgentRequest request =
        RegisterAgentRequest.newBuilder()
            .setName(bot.name())
            .setOrganization(bot.organization())
            .setKind(PrincipalKind.PRINCIPAL_KIND_BOT)
            .setRole(bot.role())
            .setFleetManager(bot.fleetManager())
            .setGroup(bot.group())
            .setExchange(bot.exchange())
            .setStrategy(bot.strategy())
            .setVersion(bot.version())
            .addAllCapabilities(bot.capabilities())
            .setMaxPositionUsd(bot.maxPositionUsd().toPlainString())
            .putAllMetadata(bot.metadata())
            .setDescription(
                "Trading bot: "
                    + bot.strategy()
                    + " on "
                    + bot.exchange()
                    + ". Part of "
                    + bot.group()
                    + " group in "
                    + bot.organization()
                    + " fleet.")
            .setRequestId(bot.requestId())
            .build();
    return ERRORS.call(
        SERVICE, "RegisterAgent", () -> stub().registerAgent(request).getIdentity().getId());
  }

  /** Registers the fleet manager, a SERVICE identity with fleet-service's public key. */
  public String registerFleetManager(
      String organization,
      String name,
      String publicKeyBase64,
      List<String> capabilities,
      String description,
      String requestId) {
    RegisterAgentRequest request =
        RegisterAgentRequest.newBuilder()
            .setName(name)
            .setOrganization(organization)
            .setKind(PrincipalKind.PRINCIPAL_KIND_SERVICE)
            .setRole("fleet_manager")
            .addAllCapabilities(capabilities)
            .setPublicKey(publicKeyBase64)
            .setDescription(description)
            .setRequestId(requestId)
            .build();
    return ERRORS.call(
        SERVICE, "RegisterAgent", () -> stub().registerAgent(request).getIdentity().getId());
  }

  /** Issues a one-time enrollment token for a pending bot. */
  public EnrollmentToken createEnrollmentToken(String agentId, java.time.Duration ttl) {
    CreateEnrollmentTokenRequest request =
        CreateEnrollmentTokenRequest.newBuilder()
            .setAgentId(agentId)
            .setTtl(Duration.newBuilder().setSeconds(ttl.toSeconds()))
            .build();
    var answer =
        ERRORS.call(SERVICE, "CreateEnrollmentToken", () -> stub().createEnrollmentToken(request));
    return new EnrollmentToken(answer.getToken(), toInstant(answer.getExpireTime()));
  }

  /** True if the identity still waits for its bot to enroll; empty if identity has no such id. */
  public Optional<Boolean> pendingEnrollment(String agentId) {
    try {
      Identity identity =
          ERRORS.call(
              SERVICE,
              "GetIdentity",
              () ->
                  stub()
                      .getIdentity(GetIdentityRequest.newBuilder().setAgentId(agentId).build())
                      .getIdentity());
      return Optional.of(identity.getStatus() == IdentityStatus.IDENTITY_STATUS_PENDING_ENROLLMENT);
    } catch (BotfleetException e) {
      if (e.kind() == BotfleetException.Kind.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /**
   * Revokes an identity; returns the key version it had (0 if it never enrolled). An identity that
   * is already revoked, or unknown, counts as revoked.
   */
  public int revoke(String agentId, String reason) {
    try {
      Identity identity =
          ERRORS.call(
              SERVICE,
              "RevokeIdentity",
              () ->
                  stub()
                      .revokeIdentity(
                          RevokeIdentityRequest.newBuilder()
                              .setAgentId(agentId)
                              .setReason(reason)
                              .build())
                      .getIdentity());
      return identity.getKeyVersion();
    } catch (BotfleetException e) {
      if (e.kind() == BotfleetException.Kind.NOT_FOUND
          || e.kind() == BotfleetException.Kind.FAILED_PRECONDITION) {
        return 0;
      }
      throw e;
    }
  }

  /** Bots of the organization whose scheduled rotation is due before {@code before}. */
  public List<DueIdentity> listRotationDue(String organization, Instant before) {
    List<DueIdentity> due = new ArrayList<>();
    String token = "";
    do {
      ListIdentitiesRequest request =
          ListIdentitiesRequest.newBuilder()
              .setKind(PrincipalKind.PRINCIPAL_KIND_BOT)
              .setOrganization(organization)
              .setStatus(IdentityStatus.IDENTITY_STATUS_ACTIVE)
              .setRotationDueBefore(toTimestamp(before))
              .setPageSize(1000)
              .setPageToken(token)
              .build();
      ListIdentitiesResponse page =
          ERRORS.call(SERVICE, "ListIdentities", () -> stub().listIdentities(request));
      page.getIdentitiesList().forEach(i -> due.add(new DueIdentity(i.getId(), i.getName())));
      token = page.getNextPageToken();
    } while (!token.isEmpty());
    return due;
  }

  /** Begins a key rotation. */
  public Rotation beginKeyRotation(String agentId, String reason, java.time.Duration grace) {
    BeginKeyRotationRequest request =
        BeginKeyRotationRequest.newBuilder()
            .setAgentId(agentId)
            .setReason(reason)
            .setGracePeriod(Duration.newBuilder().setSeconds(grace.toSeconds()))
            .build();
    KeyRotation rotation =
        ERRORS.call(
            SERVICE, "BeginKeyRotation", () -> stub().beginKeyRotation(request).getRotation());
    return new Rotation(
        rotation.getId(), rotation.getToKeyVersion(), toInstant(rotation.getDeadlineTime()));
  }

  /** Opens the connection (at start, so the kill switch never pays for it). */
  public void warmUp() {
    Channels.ping(channel, config.callDeadline());
  }

  private IdentityServiceGrpc.IdentityServiceBlockingStub stub() {
    return IdentityServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(config.callDeadline().toMillis(), TimeUnit.MILLISECONDS);
  }

  static Instant toInstant(Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }

  static Timestamp toTimestamp(Instant i) {
    return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
  }
}
