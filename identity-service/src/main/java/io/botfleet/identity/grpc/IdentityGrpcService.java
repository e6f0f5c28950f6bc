package io.botfleet.identity.grpc;

import static io.botfleet.identity.grpc.IdentityRequestMapper.actor;
import static io.botfleet.identity.grpc.IdentityRequestMapper.agentId;

import io.botfleet.common.auth.Caller;
import io.botfleet.common.error.InvalidArgumentException;
import io.botfleet.common.events.PageTokens;
import io.botfleet.common.grpc.RawRequests;
import io.botfleet.identity.domain.Identity;
import io.botfleet.identity.domain.IssuedToken;
import io.botfleet.identity.domain.Page;
import io.botfleet.identity.domain.RegistryCheck;
import io.botfleet.identity.domain.SignatureCheck;
import io.botfleet.identity.grpc.IdentityRequestMapper.KeyClaim;
import io.botfleet.identity.service.AgentIdentityService;
import io.botfleet.identity.service.BootstrapService;
import io.botfleet.identity.service.EnrollmentService;
import io.botfleet.identity.service.KeyFeedPublisher;
import io.botfleet.identity.service.KeyRotationService;
import io.botfleet.identity.service.RevocationService;
import io.botfleet.identity.service.VerificationService;
import io.botfleet.identity.v1.BeginKeyRotationRequest;
import io.botfleet.identity.v1.BeginKeyRotationResponse;
import io.botfleet.identity.v1.BootstrapAdminRequest;
import io.botfleet.identity.v1.BootstrapAdminResponse;
import io.botfleet.identity.v1.CompleteKeyRotationRequest;
import io.botfleet.identity.v1.CompleteKeyRotationResponse;
import io.botfleet.identity.v1.CreateEnrollmentTokenRequest;
import io.botfleet.identity.v1.CreateEnrollmentTokenResponse;
import io.botfleet.identity.v1.EnrollBotRequest;
import io.botfleet.identity.v1.EnrollBotResponse;
import io.botfleet.identity.v1.EnrollBotWithGeneratedKeyRequest;
import io.botfleet.identity.v1.EnrollBotWithGeneratedKeyResponse;
import io.botfleet.identity.v1.GetIdentityRequest;
import io.botfleet.identity.v1.GetIdentityResponse;
import io.botfleet.identity.v1.IdentityServiceGrpc;
import io.botfleet.identity.v1.ListIdentitiesRequest;
import io.botfleet.identity.v1.ListIdentitiesResponse;
import io.botfleet.identity.v1.RegisterAgentRequest;
import io.botfleet.identity.v1.RegisterAgentResponse;
import io.botfleet.identity.v1.RegisterRotatedKeyRequest;
import io.botfleet.identity.v1.RegisterRotatedKeyResponse;
import io.botfleet.identity.v1.RevokeIdentityRequest;
import io.botfleet.identity.v1.RevokeIdentityResponse;
import io.botfleet.identity.v1.VerifyIdentityRequest;
import io.botfleet.identity.v1.VerifyIdentityResponse;
import io.botfleet.identity.v1.VerifySignatureRequest;
import io.botfleet.identity.v1.VerifySignatureResponse;
import io.botfleet.identity.v1.WatchKeysRequest;
import io.botfleet.identity.v1.WatchKeysResponse;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;

/**
 * The identity.v1 adapter: reads requests (naming each bad field), calls the use cases, maps the
 * answers. Who may call each RPC is declared in the proto and enforced before a call gets here; a
 * bot acting about another agent is refused here.
 */
@GrpcService
public class IdentityGrpcService extends IdentityServiceGrpc.IdentityServiceImplBase {

  @Inject AgentIdentityService identities;
  @Inject BootstrapService bootstrap;
  @Inject EnrollmentService enrollment;
  @Inject KeyRotationService rotations;
  @Inject RevocationService revocation;
  @Inject VerificationService verification;
  @Inject KeyFeedPublisher keyFeed;

  @Override
  public ServerServiceDefinition bindService() {
    return RawRequests.bind(super.bindService());
  }

  @Override
  @Blocking
  public void registerAgent(
      RegisterAgentRequest request, StreamObserver<RegisterAgentResponse> response) {
    Identity identity = identities.register(IdentityMapper.toRegistration(request));
    reply(response, RegisterAgentResponse.newBuilder().setIdentity(proto(identity)).build());
  }

  @Override
  @Blocking
  public void bootstrapAdmin(
      BootstrapAdminRequest request, StreamObserver<BootstrapAdminResponse> response) {
    KeyClaim claim = IdentityRequestMapper.bootstrap(request);
    Identity admin =
        bootstrap.bootstrapAdmin(
            request.getBootstrapToken(),
            request.getName(),
            request.getOrganization(),
            claim.key(),
            claim.asSent(),
            claim.signature());
    reply(response, BootstrapAdminResponse.newBuilder().setIdentity(proto(admin)).build());
  }

  @Override
  @Blocking
  public void createEnrollmentToken(
      CreateEnrollmentTokenRequest request,
      StreamObserver<CreateEnrollmentTokenResponse> response) {
    IssuedToken token =
        enrollment.createToken(
            agentId(request.getAgentId()),
            IdentityRequestMapper.duration(request.hasTtl(), request.getTtl()),
            actor());
    reply(response, IdentityMapper.toProto(token));
  }

  @Override
  @Blocking
  public void enrollBot(EnrollBotRequest request, StreamObserver<EnrollBotResponse> response) {
    KeyClaim claim = IdentityRequestMapper.enrollment(request);
    Identity identity =
        enrollment.enroll(
            request.getToken(), request.getName(), claim.key(), claim.asSent(), claim.signature());
    reply(response, EnrollBotResponse.newBuilder().setIdentity(proto(identity)).build());
  }

  @Override
  @Blocking
  public void enrollBotWithGeneratedKey(
      EnrollBotWithGeneratedKeyRequest request,
      StreamObserver<EnrollBotWithGeneratedKeyResponse> response) {
    IdentityRequestMapper.enrollment(request);
    EnrollmentService.GeneratedEnrollment enrolled =
        enrollment.enrollWithGeneratedKey(request.getToken(), request.getName());
    reply(
        response,
        EnrollBotWithGeneratedKeyResponse.newBuilder()
            .setIdentity(proto(enrolled.identity()))
            .setPrivateKey(enrolled.key().seedBase64())
            .build());
  }

  @Override
  @Blocking
  public void getIdentity(
      GetIdentityRequest request, StreamObserver<GetIdentityResponse> response) {
    String agentId = agentId(request.getAgentId());
    Caller.requireSelfIfBot(agentId);
    Identity identity = identities.get(agentId);
    GetIdentityResponse.Builder answer =
        GetIdentityResponse.newBuilder().setIdentity(proto(identity));
    identities.keysOf(identity.id()).forEach(key -> answer.addKeys(IdentityMapper.toProto(key)));
    reply(response, answer.build());
  }

  @Override
  @Blocking
  public void listIdentities(
      ListIdentitiesRequest request, StreamObserver<ListIdentitiesResponse> response) {
    int size = PageTokens.pageSize(request.getPageSize(), 100, 1000, "page_size");
    String position = PageTokens.decode(request.getPageToken(), "page_token");
    if (!position.isEmpty() && !position.contains("\n")) {
      throw new InvalidArgumentException("page_token", "is not a page token returned by this API");
    }
    Page<Identity> page = identities.list(IdentityRequestMapper.filter(request), position, size);
    ListIdentitiesResponse.Builder answer = ListIdentitiesResponse.newBuilder();
    page.items().forEach(identity -> answer.addIdentities(proto(identity)));
    if (page.nextPosition() != null) {
      answer.setNextPageToken(PageTokens.encode(page.nextPosition()));
    }
    reply(response, answer.build());
  }

  @Override
  @Blocking
  public void verifyIdentity(
      VerifyIdentityRequest request, StreamObserver<VerifyIdentityResponse> response) {
    RegistryCheck check = verification.verifyIdentity(agentId(request.getAgentId()));
    reply(response, IdentityMapper.toProto(check));
  }

  @Override
  @Blocking
  public void verifySignature(
      VerifySignatureRequest request, StreamObserver<VerifySignatureResponse> response) {
    IdentityRequestMapper.check(request);
    SignatureCheck check =
        verification.verifySignature(
            request.getAgentId(),
            request.getKeyVersion(),
            request.getMessage().toByteArray(),
            request.getSignature().toByteArray());
    reply(response, IdentityMapper.toProto(check));
  }

  @Override
  @Blocking
  public void beginKeyRotation(
      BeginKeyRotationRequest request, StreamObserver<BeginKeyRotationResponse> response) {
    var rotation =
        rotations.begin(
            agentId(request.getAgentId()),
            request.getReason(),
            IdentityRequestMapper.duration(request.hasGracePeriod(), request.getGracePeriod()),
            actor());
    reply(
        response,
        BeginKeyRotationResponse.newBuilder()
            .setRotation(IdentityMapper.toProto(rotation))
            .build());
  }

  @Override
  @Blocking
  public void registerRotatedKey(
      RegisterRotatedKeyRequest request, StreamObserver<RegisterRotatedKeyResponse> response) {
    String agentId = agentId(request.getAgentId());
    Caller.requireSelfIfBot(agentId);
    KeyClaim claim = IdentityRequestMapper.rotatedKey(request);
    KeyRotationService.RegisteredKey registered =
        rotations.registerKey(
            agentId,
            request.getRotationId(),
            claim.key(),
            claim.asSent(),
            claim.signature(),
            actor());
    reply(
        response,
        RegisterRotatedKeyResponse.newBuilder()
            .setRotation(IdentityMapper.toProto(registered.rotation()))
            .setKeyVersion(registered.keyVersion())
            .setEffectiveTime(IdentityMapper.toTimestamp(registered.effectiveAt()))
            .build());
  }

  @Override
  @Blocking
  public void completeKeyRotation(
      CompleteKeyRotationRequest request, StreamObserver<CompleteKeyRotationResponse> response) {
    String agentId = agentId(request.getAgentId());
    Caller.requireSelfIfBot(agentId);
    if (request.getRotationId().isBlank()) {
      throw new InvalidArgumentException("rotation_id", "is required");
    }
    KeyRotationService.Completed completed =
        rotations.complete(agentId, request.getRotationId(), actor());
    reply(
        response,
        CompleteKeyRotationResponse.newBuilder()
            .setIdentity(proto(completed.identity()))
            .setRotation(IdentityMapper.toProto(completed.rotation()))
            .build());
  }

  @Override
  @Blocking
  public void revokeIdentity(
      RevokeIdentityRequest request, StreamObserver<RevokeIdentityResponse> response) {
    Identity revoked =
        revocation.revoke(agentId(request.getAgentId()), request.getReason(), actor());
    reply(response, RevokeIdentityResponse.newBuilder().setIdentity(proto(revoked)).build());
  }

  @Override
  public void watchKeys(WatchKeysRequest request, StreamObserver<WatchKeysResponse> response) {
    keyFeed.subscribe(
        request.getAfterRevision(),
        new KeyFeedStream((ServerCallStreamObserver<WatchKeysResponse>) response));
  }

  private static io.botfleet.identity.v1.Identity proto(Identity identity) {
    return IdentityMapper.toProto(identity);
  }

  private static <T> void reply(StreamObserver<T> response, T answer) {
    response.onNext(answer);
    response.onCompleted();
  }
}
