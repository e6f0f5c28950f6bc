package io.botfleet.identity;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.botfleet.common.auth.KeyCache;
import io.botfleet.common.auth.Principal;
import io.botfleet.common.v1.AuditServiceGrpc;
import io.botfleet.common.v1.ListEventsRequest;
import io.botfleet.common.v1.OperatorRole;
import io.botfleet.common.v1.PrincipalKind;
import io.botfleet.devkit.GrpcTestSupport;
import io.botfleet.devkit.TestPrincipal;
import io.botfleet.identity.domain.ProofOfPossession;
import io.botfleet.identity.v1.BeginKeyRotationRequest;
import io.botfleet.identity.v1.Identity;
import io.botfleet.identity.v1.IdentityServiceGrpc;
import io.botfleet.identity.v1.KeyRotation;
import io.botfleet.identity.v1.RegisterAgentRequest;
import io.botfleet.identity.v1.RegisterRotatedKeyRequest;
import io.botfleet.signing.Credentials;
import io.botfleet.signing.RequestSigner;
import io.botfleet.signing.SignatureHeaders;
import io.botfleet.signing.SigningClientInterceptor;
import io.botfleet.signing.SigningKey;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Signed identity-service stubs for test principals, and bots that sign with their own keys. */
public abstract class IdentityTestSupport extends GrpcTestSupport {

  /** The seed of svc-fleet's key in tests (RFC 8032 test key 1), see application.properties. */
  protected static final SigningKey FLEET_SERVICE_KEY =
      SigningKey.fromSeed(
          HexFormat.of()
              .parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));

  /** The fleet service as configured in tests: signs with the key identity-service seeded. */
  protected static TestPrincipal fleetService() {
    return new TestPrincipal(
        new Principal(
            "svc-fleet",
            PrincipalKind.PRINCIPAL_KIND_SERVICE,
            OperatorRole.OPERATOR_ROLE_UNSPECIFIED,
            "fleet"),
        new Credentials("svc-fleet", 1, FLEET_SERVICE_KEY));
  }

  protected static IdentityServiceGrpc.IdentityServiceBlockingStub identity(
      TestPrincipal principal) {
    return signed(principal, IdentityServiceGrpc.newBlockingStub(channel));
  }

  protected static AuditServiceGrpc.AuditServiceBlockingStub audit(TestPrincipal principal) {
    return signed(principal, AuditServiceGrpc.newBlockingStub(channel));
  }

  /** A stub with no signature, for the public RPCs (bootstrap, enrollment). */
  protected static IdentityServiceGrpc.IdentityServiceBlockingStub anonymous() {
    return IdentityServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  protected static TestPrincipal admin(KeyCache cache) {
    return TestPrincipal.operator(OperatorRole.OPERATOR_ROLE_ADMIN).trustedBy(cache);
  }

  protected static TestPrincipal operatorWithRole(KeyCache cache, OperatorRole role) {
    return TestPrincipal.operator(role).trustedBy(cache);
  }

  protected static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  protected static RegisterAgentRequest.Builder botRequest(String name) {
    return RegisterAgentRequest.newBuilder()
        .setName(name)
        .setOrganization("acme")
        .setKind(PrincipalKind.PRINCIPAL_KIND_BOT)
        .setGroup("spot-arb")
        .setExchange("binance")
        .setStrategy("cross-exchange-arb")
        .setVersion("2.4.1");
  }

  /** The failure of a call that must fail. */
  protected static StatusRuntimeException failure(ThrowingCallable call) {
    AtomicReference<StatusRuntimeException> caught = new AtomicReference<>();
    assertThatThrownBy(call).isInstanceOfSatisfying(StatusRuntimeException.class, caught::set);
    return caught.get();
  }

  /** Runs SQL in its own transaction (to move time: deadlines, expiries). */
  protected static int sql(EntityManager entityManager, String statement, Map<String, ?> params) {
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              var query = entityManager.createNativeQuery(statement);
              params.forEach(query::setParameter);
              return query.executeUpdate();
            });
  }

  /** Runs a query in its own transaction; the rows, each a value or an Object[]. */
  @SuppressWarnings("unchecked")
  protected static List<Object> query(
      EntityManager entityManager, String statement, Map<String, ?> params) {
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              var query = entityManager.createNativeQuery(statement);
              params.forEach(query::setParameter);
              return (List<Object>) query.getResultList();
            });
  }

  /** How many audit events of a type exist about an agent. */
  protected static int eventCount(KeyCache cache, String agentId, String type) {
    return audit(admin(cache))
        .listEvents(ListEventsRequest.newBuilder().setAgentId(agentId).addTypes(type).build())
        .getEventsCount();
  }

  /** fleet-service begins a rotation of a bot, as it does for due scheduled rotations. */
  protected static KeyRotation beginRotation(Bot bot) {
    return identity(fleetService())
        .beginKeyRotation(
            BeginKeyRotationRequest.newBuilder()
                .setAgentId(bot.id())
                .setReason("scheduled")
                .build())
        .getRotation();
  }

  /** What a rotating bot sends: its new public key and the rotation challenge signed with it. */
  protected static RegisterRotatedKeyRequest rotatedKey(
      Bot bot, KeyRotation rotation, SigningKey newKey) {
    String publicKey = newKey.publicKey().base64();
    String challenge = ProofOfPossession.rotation(bot.id(), rotation.getId(), publicKey);
    return RegisterRotatedKeyRequest.newBuilder()
        .setAgentId(bot.id())
        .setRotationId(rotation.getId())
        .setNewPublicKey(publicKey)
        .setChallengeSignature(
            Base64.getEncoder()
                .encodeToString(newKey.sign(challenge.getBytes(StandardCharsets.UTF_8))))
        .build();
  }

  /**
   * A stub that sends exactly these signature headers, whatever the message (replays, forgeries).
   */
  protected static IdentityServiceGrpc.IdentityServiceBlockingStub stubWithHeaders(
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

  /**
   * A bot that holds its own key and signs with whatever credentials it has now, as the bot SDK
   * does across a rotation.
   */
  protected static final class Bot {
    public final Identity identity;
    public final AtomicReference<Credentials> credentials;

    public Bot(Identity identity, Credentials credentials) {
      this.identity = identity;
      this.credentials = new AtomicReference<>(credentials);
    }

    public String id() {
      return identity.getId();
    }

    public String name() {
      return identity.getName();
    }

    /** Switches to another key. */
    public void use(int keyVersion, SigningKey key) {
      credentials.set(new Credentials(id(), keyVersion, key));
    }

    /** A stub signed with the bot's credentials at the time of each call. */
    public IdentityServiceGrpc.IdentityServiceBlockingStub stub() {
      return IdentityServiceGrpc.newBlockingStub(channel)
          .withInterceptors(new SigningClientInterceptor(new RequestSigner(credentials::get)))
          .withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    /** The bot as a fixed test principal (its current key). */
    public TestPrincipal principal() {
      return new TestPrincipal(
          new Principal(
              id(),
              PrincipalKind.PRINCIPAL_KIND_BOT,
              OperatorRole.OPERATOR_ROLE_UNSPECIFIED,
              name()),
          credentials.get());
    }
  }

  /**
   * Registers a bot with a key it made, through RegisterAgent as an admin, and waits until this
   * service's key cache (fed by the key feed) accepts it.
   */
  protected static Bot registerBot(KeyCache cache, RegisterAgentRequest.Builder request) {
    SigningKey key = SigningKey.generate();
    Identity identity =
        identity(admin(cache))
            .registerAgent(request.setPublicKey(key.publicKey().base64()).build())
            .getIdentity();
    await().atMost(Duration.ofSeconds(5)).until(() -> cache.find(identity.getId(), 1).isPresent());
    return new Bot(identity, new Credentials(identity.getId(), 1, key));
  }

  /** Registers a bot of the spot-arb group with a unique name. */
  protected static Bot registerBot(KeyCache cache) {
    return registerBot(cache, botRequest(unique("bot")));
  }
}
