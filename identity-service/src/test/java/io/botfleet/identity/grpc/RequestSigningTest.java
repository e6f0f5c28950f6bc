package io.botfleet.identity.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse;
import io.botfleet.common.auth.KeyCache;
import io.botfleet.common.auth.OpenStreams;
import io.botfleet.common.v1.OperatorRole;
import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.PostgresTestResource;
import io.botfleet.devkit.TestPrincipal;
import io.botfleet.identity.IdentityTestSupport;
import io.botfleet.identity.v1.GetIdentityRequest;
import io.botfleet.identity.v1.IdentityServiceGrpc;
import io.botfleet.identity.v1.RegisterAgentRequest;
import io.botfleet.signing.CanonicalRequest;
import io.botfleet.signing.RequestSigner;
import io.botfleet.signing.SignatureHeaders;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The request-signing rules of docs/protocol.md, enforced by the server interceptor, each over a
 * real gRPC call: what a verifier must refuse is refused with UNAUTHENTICATED.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
class RequestSigningTest extends IdentityTestSupport {

  static final String GET_IDENTITY = "botfleet.identity.v1.IdentityService/GetIdentity";

  @Inject KeyCache keyCache;
  @Inject OpenStreams openStreams;

  @Test
  void aCorrectlySignedCallIsAnswered() {
    TestPrincipal admin = admin(keyCache);
    assertThat(identity(admin).getIdentity(request("svc-fleet")).getIdentity().getName())
        .isEqualTo("fleet");
  }

  @Test
  void anUnsignedCallIsUnauthenticated() {
    var stub = IdentityServiceGrpc.newBlockingStub(channel);
    assertRefused(
        () -> stub.getIdentity(request("svc-fleet")), Status.Code.UNAUTHENTICATED, "bf-agent");
  }

  @Test
  void aFlippedSignatureByteIsUnauthenticated() {
    TestPrincipal admin = admin(keyCache);
    GetIdentityRequest message = request("svc-fleet");
    SignatureHeaders good = signer(admin).sign(GET_IDENTITY, message.toByteArray());
    byte[] flipped = good.signature().clone();
    flipped[0] ^= 0x01;
    SignatureHeaders bad =
        new SignatureHeaders(
            good.agentId(), good.keyVersion(), good.timestampMillis(), good.nonce(), flipped);

    assertRefused(
        () -> withHeaders(bad).getIdentity(message),
        Status.Code.UNAUTHENTICATED,
        "does not verify");
  }

  @Test
  void aSignatureOverOtherBytesThanThoseSentIsUnauthenticated() {
    TestPrincipal admin = admin(keyCache);
    SignatureHeaders signedForAnother =
        signer(admin).sign(GET_IDENTITY, request("bot-1111111111111111").toByteArray());

    assertRefused(
        () -> withHeaders(signedForAnother).getIdentity(request("svc-fleet")),
        Status.Code.UNAUTHENTICATED,
        "does not verify");
  }

  @Test
  void aTimestampOutsideTheSkewWindowIsUnauthenticated() {
    TestPrincipal admin = admin(keyCache);
    GetIdentityRequest message = request("svc-fleet");
    SignatureHeaders stale =
        signer(admin)
            .sign(
                GET_IDENTITY,
                CanonicalRequest.sha256Hex(message.toByteArray()),
                System.currentTimeMillis() - 31_000,
                RequestSigner.newNonce());

    assertRefused(
        () -> withHeaders(stale).getIdentity(message), Status.Code.UNAUTHENTICATED, "window");
  }

  @Test
  void aReplayedRequestIsUnauthenticated() {
    TestPrincipal admin = admin(keyCache);
    GetIdentityRequest message = request("svc-fleet");
    SignatureHeaders once = signer(admin).sign(GET_IDENTITY, message.toByteArray());

    assertThat(withHeaders(once).getIdentity(message).getIdentity().getId()).isEqualTo("svc-fleet");
    assertRefused(
        () -> withHeaders(once).getIdentity(message), Status.Code.UNAUTHENTICATED, "replay");
  }

  @Test
  void anRpcTheKeyMayNotCallIsDeniedOnlyOnceTheSignatureVerified() {
    // A viewer may not register agents. Signed by someone else (a bad signature) the call is
    // UNAUTHENTICATED like any other, so the viewer's rights cannot be probed without its key.
    TestPrincipal viewer = operatorWithRole(keyCache, OperatorRole.OPERATOR_ROLE_VIEWER);
    RegisterAgentRequest register = botRequest(unique("probe")).build();
    String method = "botfleet.identity.v1.IdentityService/RegisterAgent";
    SignatureHeaders good = signer(viewer).sign(method, register.toByteArray());
    byte[] flipped = good.signature().clone();
    flipped[5] ^= 0x01;
    SignatureHeaders forged =
        new SignatureHeaders(
            good.agentId(), good.keyVersion(), good.timestampMillis(), good.nonce(), flipped);
    assertRefused(
        () -> withHeaders(forged).registerAgent(register),
        Status.Code.UNAUTHENTICATED,
        "does not verify");

    assertRefused(
        () -> identity(viewer).registerAgent(register),
        Status.Code.PERMISSION_DENIED,
        "VIEWER may not call " + method);
  }

  @Test
  void anUnknownKeyIsUnauthenticated() {
    TestPrincipal stranger =
        TestPrincipal.operator(io.botfleet.common.v1.OperatorRole.OPERATOR_ROLE_ADMIN);
    assertRefused(
        () -> identity(stranger).getIdentity(request("svc-fleet")),
        Status.Code.UNAUTHENTICATED,
        "unknown");
  }

  @Test
  void aRevokedIdentityIsUnauthenticatedAndItsOpenStreamsAreClosed() throws Exception {
    TestPrincipal service = TestPrincipal.service("health").trustedBy(keyCache);
    CompletableFuture<Status> streamEnd = new CompletableFuture<>();
    CompletableFuture<Void> streaming = new CompletableFuture<>();
    service
        .sign(IdentityServiceGrpc.newStub(channel))
        .watchKeys(
            io.botfleet.identity.v1.WatchKeysRequest.getDefaultInstance(),
            new StreamObserver<>() {
              @Override
              public void onNext(io.botfleet.identity.v1.WatchKeysResponse value) {
                streaming.complete(null);
              }

              @Override
              public void onError(Throwable t) {
                streamEnd.complete(Status.fromThrowable(t));
              }

              @Override
              public void onCompleted() {
                streamEnd.complete(Status.OK);
              }
            });
    streaming.get(5, TimeUnit.SECONDS);
    assertThat(openStreams.count(service.agentId())).isEqualTo(1);

    keyCache.revoke(service.agentId(), keyCache.revision());

    Status ended = streamEnd.get(5, TimeUnit.SECONDS);
    assertThat(ended.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(ended.getDescription()).contains("revoked");
    assertRefused(
        () -> identity(service).getIdentity(request("svc-fleet")),
        Status.Code.UNAUTHENTICATED,
        "revoked");
  }

  @Test
  void healthAndReflectionNeedNoSignatureAndListEveryService() throws Exception {
    HealthCheckResponse health =
        HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.getDefaultInstance());
    assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);

    CompletableFuture<List<String>> services = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests =
        ServerReflectionGrpc.newStub(channel)
            .serverReflectionInfo(
                new StreamObserver<>() {
                  @Override
                  public void onNext(ServerReflectionResponse value) {
                    services.complete(
                        value.getListServicesResponse().getServiceList().stream()
                            .map(s -> s.getName())
                            .toList());
                  }

                  @Override
                  public void onError(Throwable t) {
                    services.completeExceptionally(t);
                  }

                  @Override
                  public void onCompleted() {}
                });
    requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
    requests.onCompleted();

    assertThat(services.get(5, TimeUnit.SECONDS))
        .contains("botfleet.identity.v1.IdentityService", "botfleet.common.v1.AuditService");
  }

  private static GetIdentityRequest request(String agentId) {
    return GetIdentityRequest.newBuilder().setAgentId(agentId).build();
  }

  private static RequestSigner signer(TestPrincipal principal) {
    return new RequestSigner(principal::credentials);
  }

  /** A stub that sends exactly these signature headers, whatever the message. */
  private static IdentityServiceGrpc.IdentityServiceBlockingStub withHeaders(
      SignatureHeaders headers) {
    ClientInterceptor fixed =
        new ClientInterceptor() {
          @Override
          public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
              MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next) {
            return new ForwardingClientCall.SimpleForwardingClientCall<>(
                next.newCall(method, options)) {
              @Override
              public void start(Listener<RespT> listener, Metadata metadata) {
                headers.writeTo(metadata);
                super.start(listener, metadata);
              }
            };
          }
        };
    return IdentityServiceGrpc.newBlockingStub(channel)
        .withInterceptors(fixed)
        .withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  private static void assertRefused(Runnable call, Status.Code code, String descriptionContains) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(code);
              assertThat(e.getStatus().getDescription()).containsIgnoringCase(descriptionContains);
            });
  }
}
