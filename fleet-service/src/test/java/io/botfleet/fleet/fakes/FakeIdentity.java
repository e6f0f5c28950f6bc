package io.botfleet.fleet.fakes;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.botfleet.common.v1.PrincipalKind;
import io.botfleet.devkit.TestPrincipal;
import io.botfleet.identity.v1.AgentKey;
import io.botfleet.identity.v1.BeginKeyRotationRequest;
import io.botfleet.identity.v1.BeginKeyRotationResponse;
import io.botfleet.identity.v1.CreateEnrollmentTokenRequest;
import io.botfleet.identity.v1.CreateEnrollmentTokenResponse;
import io.botfleet.identity.v1.GetIdentityRequest;
import io.botfleet.identity.v1.GetIdentityResponse;
import io.botfleet.identity.v1.Identity;
import io.botfleet.identity.v1.IdentityServiceGrpc;
import io.botfleet.identity.v1.IdentityStatus;
import io.botfleet.identity.v1.KeyEventType;
import io.botfleet.identity.v1.KeyRotation;
import io.botfleet.identity.v1.KeyRotationState;
import io.botfleet.identity.v1.KeyStatus;
import io.botfleet.identity.v1.ListIdentitiesRequest;
import io.botfleet.identity.v1.ListIdentitiesResponse;
import io.botfleet.identity.v1.RegisterAgentRequest;
import io.botfleet.identity.v1.RegisterAgentResponse;
import io.botfleet.identity.v1.RevokeIdentityRequest;
import io.botfleet.identity.v1.RevokeIdentityResponse;
import io.botfleet.identity.v1.WatchKeysRequest;
import io.botfleet.identity.v1.WatchKeysResponse;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-test identity-service: registers identities (idempotent by request id, names unique among
 * live identities of an organization), issues tokens, revokes, lists identities due for rotation,
 * begins rotations, and serves the key feed (WatchKeys) from the keys a test trusts.
 */
public final class FakeIdentity extends IdentityServiceGrpc.IdentityServiceImplBase {

  public final Recorder recorder = new Recorder();
  private final Map<String, Identity> byId = new ConcurrentHashMap<>();
  private final Map<String, String> byRequestId = new ConcurrentHashMap<>();
  private final Set<String> due = ConcurrentHashMap.newKeySet();
  private final Map<String, KeyRotation> rotations = new ConcurrentHashMap<>();
  private final List<AgentKey> keys = new CopyOnWriteArrayList<>();
  private final List<ServerCallStreamObserver<WatchKeysResponse>> watchers =
      new CopyOnWriteArrayList<>();
  private final AtomicLong revision = new AtomicLong();
  private final SecureRandom random = new SecureRandom();

  @Override
  public synchronized void registerAgent(
      RegisterAgentRequest request, StreamObserver<RegisterAgentResponse> response) {
    if (recorder.failed("RegisterAgent", request, response)) {
      return;
    }
    String earlier = byRequestId.get(request.getRequestId());
    if (earlier != null) {
      reply(response, RegisterAgentResponse.newBuilder().setIdentity(byId.get(earlier)).build());
      return;
    }
    boolean taken =
        byId.values().stream()
            .anyMatch(
                i ->
                    i.getName().equals(request.getName())
                        && i.getOrganization().equals(request.getOrganization())
                        && i.getStatus() != IdentityStatus.IDENTITY_STATUS_REVOKED);
    if (taken) {
      response.onError(Status.ALREADY_EXISTS.withDescription("name taken").asRuntimeException());
      return;
    }
    String prefix = request.getKind() == PrincipalKind.PRINCIPAL_KIND_BOT ? "bot-" : "svc-";
    String id = prefix + HexFormat.of().formatHex(random.generateSeed(8));
    Identity identity =
        Identity.newBuilder()
            .setId(id)
            .setName(request.getName())
            .setOrganization(request.getOrganization())
            .setKind(request.getKind())
            .setRole(request.getRole())
            .setGroup(request.getGroup())
            .setExchange(request.getExchange())
            .setStrategy(request.getStrategy())
            .setVersion(request.getVersion())
            .addAllCapabilities(request.getCapabilitiesList())
            .setFleetManager(request.getFleetManager())
            .setPublicKey(request.getPublicKey())
            .setKeyVersion(request.getPublicKey().isEmpty() ? 0 : 1)
            .setStatus(
                request.getPublicKey().isEmpty()
                    ? IdentityStatus.IDENTITY_STATUS_PENDING_ENROLLMENT
                    : IdentityStatus.IDENTITY_STATUS_ACTIVE)
            .build();
    byId.put(id, identity);
    if (!request.getRequestId().isEmpty()) {
      byRequestId.put(request.getRequestId(), id);
    }
    reply(response, RegisterAgentResponse.newBuilder().setIdentity(identity).build());
  }

  @Override
  public void createEnrollmentToken(
      CreateEnrollmentTokenRequest request,
      StreamObserver<CreateEnrollmentTokenResponse> response) {
    if (recorder.failed("CreateEnrollmentToken", request, response)) {
      return;
    }
    Identity identity = byId.get(request.getAgentId());
    if (identity == null) {
      response.onError(Status.NOT_FOUND.asRuntimeException());
      return;
    }
    reply(
        response,
        CreateEnrollmentTokenResponse.newBuilder()
            .setToken("bfe_" + UUID.randomUUID())
            .setAgentId(identity.getId())
            .setName(identity.getName())
            .setExpireTime(timestamp(Instant.now().plusSeconds(request.getTtl().getSeconds())))
            .build());
  }

  @Override
  public void getIdentity(
      GetIdentityRequest request, StreamObserver<GetIdentityResponse> response) {
    if (recorder.failed("GetIdentity", request, response)) {
      return;
    }
    Identity identity = byId.get(request.getAgentId());
    if (identity == null) {
      response.onError(Status.NOT_FOUND.asRuntimeException());
      return;
    }
    reply(response, GetIdentityResponse.newBuilder().setIdentity(identity).build());
  }

  @Override
  public synchronized void revokeIdentity(
      RevokeIdentityRequest request, StreamObserver<RevokeIdentityResponse> response) {
    if (recorder.failed("RevokeIdentity", request, response)) {
      return;
    }
    Identity identity = byId.get(request.getAgentId());
    if (identity == null) {
      response.onError(Status.NOT_FOUND.asRuntimeException());
      return;
    }
    Identity revoked =
        identity.toBuilder()
            .setStatus(IdentityStatus.IDENTITY_STATUS_REVOKED)
            .setRevokeReason(request.getReason())
            .build();
    byId.put(revoked.getId(), revoked);
    keys.removeIf(k -> k.getAgentId().equals(revoked.getId()));
    publish(
        KeyEventType.KEY_EVENT_TYPE_IDENTITY_REVOKED,
        AgentKey.newBuilder().setAgentId(revoked.getId()).build());
    reply(response, RevokeIdentityResponse.newBuilder().setIdentity(revoked).build());
  }

  @Override
  public void listIdentities(
      ListIdentitiesRequest request, StreamObserver<ListIdentitiesResponse> response) {
    if (recorder.failed("ListIdentities", request, response)) {
      return;
    }
    ListIdentitiesResponse.Builder answer = ListIdentitiesResponse.newBuilder();
    byId.values().stream()
        .filter(i -> !request.hasRotationDueBefore() || due.contains(i.getId()))
        .filter(i -> !rotations.containsKey(i.getId()))
        .filter(i -> i.getOrganization().equals(request.getOrganization()))
        .forEach(answer::addIdentities);
    reply(response, answer.build());
  }

  @Override
  public synchronized void beginKeyRotation(
      BeginKeyRotationRequest request, StreamObserver<BeginKeyRotationResponse> response) {
    if (recorder.failed("BeginKeyRotation", request, response)) {
      return;
    }
    Identity identity = byId.get(request.getAgentId());
    if (identity == null) {
      response.onError(Status.NOT_FOUND.asRuntimeException());
      return;
    }
    if (rotations.containsKey(identity.getId())) {
      response.onError(
          Status.FAILED_PRECONDITION.withDescription("rotation in progress").asRuntimeException());
      return;
    }
    KeyRotation rotation =
        KeyRotation.newBuilder()
            .setId(UUID.randomUUID().toString())
            .setAgentId(identity.getId())
            .setFromKeyVersion(Math.max(1, identity.getKeyVersion()))
            .setToKeyVersion(Math.max(1, identity.getKeyVersion()) + 1)
            .setState(KeyRotationState.KEY_ROTATION_STATE_AWAITING_KEY)
            .setReason(request.getReason())
            .setDeadlineTime(
                timestamp(Instant.now().plusSeconds(request.getGracePeriod().getSeconds())))
            .build();
    rotations.put(identity.getId(), rotation);
    due.remove(identity.getId());
    reply(response, BeginKeyRotationResponse.newBuilder().setRotation(rotation).build());
  }

  @Override
  public void watchKeys(WatchKeysRequest request, StreamObserver<WatchKeysResponse> response) {
    ServerCallStreamObserver<WatchKeysResponse> stream =
        (ServerCallStreamObserver<WatchKeysResponse>) response;
    synchronized (this) {
      long now = revision.get();
      for (AgentKey key : keys) {
        stream.onNext(
            WatchKeysResponse.newBuilder()
                .setRevision(now)
                .setType(KeyEventType.KEY_EVENT_TYPE_SNAPSHOT_KEY)
                .setKey(key)
                .build());
      }
      stream.onNext(
          WatchKeysResponse.newBuilder()
              .setRevision(now)
              .setType(KeyEventType.KEY_EVENT_TYPE_SNAPSHOT_END)
              .build());
      watchers.add(stream);
    }
    stream.setOnCancelHandler(() -> watchers.remove(stream));
  }

  /** Makes services that follow this feed accept the principal's key. */
  public synchronized void trust(TestPrincipal principal) {
    AgentKey key =
        AgentKey.newBuilder()
            .setAgentId(principal.agentId())
            .setKind(principal.principal().kind())
            .setOperatorRole(principal.principal().operatorRole())
            .setName(principal.principal().name())
            .setKeyVersion(principal.credentials().keyVersion())
            .setPublicKey(ByteString.copyFrom(principal.credentials().key().publicKey().raw()))
            .setStatus(KeyStatus.KEY_STATUS_CURRENT)
            .build();
    keys.add(key);
    publish(KeyEventType.KEY_EVENT_TYPE_KEY_UPSERTED, key);
  }

  /** Lists the identity as due for its scheduled rotation. */
  public void makeDue(String agentId) {
    due.add(agentId);
  }

  /** The identity as the fake holds it. */
  public Identity identity(String agentId) {
    return byId.get(agentId);
  }

  /** Every identity registered with this name, oldest first. */
  public List<Identity> named(String name) {
    List<Identity> found = new ArrayList<>();
    byId.values().stream().filter(i -> i.getName().equals(name)).forEach(found::add);
    return found;
  }

  private void publish(KeyEventType type, AgentKey key) {
    long rev = revision.incrementAndGet();
    for (ServerCallStreamObserver<WatchKeysResponse> watcher : watchers) {
      try {
        synchronized (watcher) {
          watcher.onNext(
              WatchKeysResponse.newBuilder().setRevision(rev).setType(type).setKey(key).build());
        }
      } catch (RuntimeException e) {
        watchers.remove(watcher);
      }
    }
  }

  static Timestamp timestamp(Instant time) {
    return Timestamp.newBuilder()
        .setSeconds(time.getEpochSecond())
        .setNanos(time.getNano())
        .build();
  }

  static <T> void reply(StreamObserver<T> response, T answer) {
    response.onNext(answer);
    response.onCompleted();
  }
}
