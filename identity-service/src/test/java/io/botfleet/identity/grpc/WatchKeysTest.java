package io.botfleet.identity.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.botfleet.common.auth.KeyCache;
import io.botfleet.common.v1.OperatorRole;
import io.botfleet.common.v1.PrincipalKind;
import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.PostgresTestResource;
import io.botfleet.devkit.TestPrincipal;
import io.botfleet.identity.IdentityTestSupport;
import io.botfleet.identity.v1.GetIdentityRequest;
import io.botfleet.identity.v1.IdentityServiceGrpc;
import io.botfleet.identity.v1.KeyEventType;
import io.botfleet.identity.v1.RegisterAgentRequest;
import io.botfleet.identity.v1.WatchKeysRequest;
import io.botfleet.identity.v1.WatchKeysResponse;
import io.botfleet.signing.SigningKey;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The key feed every service's key cache follows. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
class WatchKeysTest extends IdentityTestSupport {

  @Inject KeyCache keyCache;

  @Test
  void configuredServiceKeysAreServiceIdentities() {
    var fleet =
        identity(admin(keyCache))
            .getIdentity(GetIdentityRequest.newBuilder().setAgentId("svc-fleet").build());

    assertThat(fleet.getIdentity().getKind()).isEqualTo(PrincipalKind.PRINCIPAL_KIND_SERVICE);
    assertThat(fleet.getIdentity().getPublicKey())
        .isEqualTo(FLEET_SERVICE_KEY.publicKey().base64());
  }

  @Test
  void aSubscriberGetsASnapshotThenEveryChangeAsItCommits() throws Exception {
    try (Watch watch = Watch.open(0)) {
      List<WatchKeysResponse> snapshot = watch.untilSnapshotEnd();
      long snapshotRevision = snapshot.get(snapshot.size() - 1).getRevision();
      assertThat(snapshot)
          .anySatisfy(item -> assertThat(item.getKey().getAgentId()).isEqualTo("svc-fleet"));

      SigningKey key = SigningKey.generate();
      String operatorId = registerOperator(key);

      WatchKeysResponse change = watch.next();
      assertThat(change.getType()).isEqualTo(KeyEventType.KEY_EVENT_TYPE_KEY_UPSERTED);
      assertThat(change.getKey().getAgentId()).isEqualTo(operatorId);
      assertThat(change.getKey().getOperatorRole()).isEqualTo(OperatorRole.OPERATOR_ROLE_OPERATOR);
      assertThat(change.getKey().getPublicKey().toByteArray()).isEqualTo(key.publicKey().raw());
      assertThat(change.getRevision()).isGreaterThan(snapshotRevision);
    }
  }

  @Test
  void aSubscriberThatResumesFromItsRevisionGetsOnlyWhatItMissed() throws Exception {
    long revision;
    try (Watch watch = Watch.open(0)) {
      List<WatchKeysResponse> snapshot = watch.untilSnapshotEnd();
      revision = snapshot.get(snapshot.size() - 1).getRevision();
    }
    String missed = registerOperator(SigningKey.generate());

    try (Watch resumed = Watch.open(revision)) {
      WatchKeysResponse first = resumed.next();
      assertThat(first.getType()).isEqualTo(KeyEventType.KEY_EVENT_TYPE_KEY_UPSERTED);
      assertThat(first.getKey().getAgentId()).isEqualTo(missed);
    }
  }

  @Test
  void operatorsMayNotWatchKeys() {
    TestPrincipal admin = admin(keyCache);
    var stub =
        admin
            .sign(IdentityServiceGrpc.newBlockingStub(channel))
            .withDeadlineAfter(5, TimeUnit.SECONDS);
    assertThatThrownBy(() -> stub.watchKeys(WatchKeysRequest.getDefaultInstance()).hasNext())
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
  }

  private String registerOperator(SigningKey key) {
    return identity(admin(keyCache))
        .registerAgent(
            RegisterAgentRequest.newBuilder()
                .setName("op-" + System.nanoTime())
                .setOrganization("acme")
                .setKind(PrincipalKind.PRINCIPAL_KIND_OPERATOR)
                .setOperatorRole(OperatorRole.OPERATOR_ROLE_OPERATOR)
                .setPublicKey(key.publicKey().base64())
                .build())
        .getIdentity()
        .getId();
  }

  /** A WatchKeys stream signed as the fleet service, collecting what it receives. */
  static final class Watch implements AutoCloseable {
    final BlockingQueue<WatchKeysResponse> received = new LinkedBlockingQueue<>();
    final Context.CancellableContext context = Context.current().withCancellation();

    static Watch open(long afterRevision) {
      Watch watch = new Watch();
      watch.context.run(
          () ->
              fleetService()
                  .sign(IdentityServiceGrpc.newStub(channel))
                  .watchKeys(
                      WatchKeysRequest.newBuilder().setAfterRevision(afterRevision).build(),
                      new StreamObserver<>() {
                        @Override
                        public void onNext(WatchKeysResponse value) {
                          watch.received.add(value);
                        }

                        @Override
                        public void onError(Throwable t) {}

                        @Override
                        public void onCompleted() {}
                      }));
      return watch;
    }

    WatchKeysResponse next() throws InterruptedException {
      WatchKeysResponse item =
          received.poll(Duration.ofSeconds(5).toMillis(), TimeUnit.MILLISECONDS);
      if (item == null) {
        throw new AssertionError("nothing received on WatchKeys within 5 s");
      }
      return item;
    }

    List<WatchKeysResponse> untilSnapshotEnd() throws InterruptedException {
      java.util.ArrayList<WatchKeysResponse> items = new java.util.ArrayList<>();
      WatchKeysResponse item;
      do {
        item = next();
        items.add(item);
      } while (item.getType() != KeyEventType.KEY_EVENT_TYPE_SNAPSHOT_END);
      return items;
    }

    @Override
    public void close() {
      context.cancel(null);
    }
  }
}
