package io.botfleet.identity.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.botfleet.common.auth.KeyCache;
import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.PostgresTestResource;
import io.botfleet.identity.IdentityTestSupport;
import io.botfleet.identity.v1.CompleteKeyRotationRequest;
import io.botfleet.identity.v1.GetIdentityRequest;
import io.botfleet.identity.v1.IdentityServiceGrpc;
import io.botfleet.identity.v1.KeyRotation;
import io.botfleet.identity.v1.RegisterRotatedKeyResponse;
import io.botfleet.signing.Credentials;
import io.botfleet.signing.RequestSigner;
import io.botfleet.signing.SigningClientInterceptor;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The promise of rotation without downtime: a bot that signs requests without pause, following the
 * protocol (register the new key signed with the old one, switch at the effective time, confirm
 * with the new key), has not one request refused from before the rotation begins until after it
 * ends.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
class ContinuousSigningThroughRotationTest extends IdentityTestSupport {

  @Inject KeyCache keyCache;
  @Inject EntityManager entityManager;

  @Test
  void notOneRequestIsRefusedThroughARotationTheBotConfirms() throws Exception {
    Bot bot = registerBot(keyCache);
    try (Traffic traffic = Traffic.start(bot)) {
      traffic.awaitCalls(20);
      KeyRotation rotation = beginRotation(bot);
      SigningKey newKey = SigningKey.generate();
      RegisterRotatedKeyResponse registered =
          bot.stub().registerRotatedKey(rotatedKey(bot, rotation, newKey));
      waitUntil(
          registered.getEffectiveTime().getSeconds(), registered.getEffectiveTime().getNanos());
      bot.use(registered.getKeyVersion(), newKey);
      bot.stub()
          .completeKeyRotation(
              CompleteKeyRotationRequest.newBuilder()
                  .setAgentId(bot.id())
                  .setRotationId(rotation.getId())
                  .build());
      await().atMost(Duration.ofSeconds(5)).until(() -> keyCache.find(bot.id(), 1).isEmpty());
      traffic.awaitCalls(traffic.calls() + 20);

      traffic.stop();
      assertThat(traffic.refusals).isEmpty();
      assertThat(traffic.byVersion.get(1)).isGreaterThan(10);
      assertThat(traffic.byVersion.get(2)).isGreaterThan(10);
    }
  }

  @Test
  void notOneRequestIsRefusedWhenTheGracePeriodEndsTheRotation() throws Exception {
    Bot bot = registerBot(keyCache);
    try (Traffic traffic = Traffic.start(bot)) {
      traffic.awaitCalls(20);
      KeyRotation rotation = beginRotation(bot);
      SigningKey newKey = SigningKey.generate();
      RegisterRotatedKeyResponse registered =
          bot.stub().registerRotatedKey(rotatedKey(bot, rotation, newKey));
      waitUntil(
          registered.getEffectiveTime().getSeconds(), registered.getEffectiveTime().getNanos());
      bot.use(registered.getKeyVersion(), newKey);
      sql(
          entityManager,
          "update key_rotations set deadline_at = now() where id = :id",
          Map.of("id", UUID.fromString(rotation.getId())));
      await().atMost(Duration.ofSeconds(10)).until(() -> keyCache.find(bot.id(), 1).isEmpty());
      traffic.awaitCalls(traffic.calls() + 20);

      traffic.stop();
      assertThat(traffic.refusals).isEmpty();
      assertThat(traffic.byVersion.get(2)).isGreaterThan(10);
    }
  }

  private static void waitUntil(long seconds, int nanos) throws InterruptedException {
    long waitMillis =
        Instant.ofEpochSecond(seconds, nanos).toEpochMilli() - System.currentTimeMillis();
    if (waitMillis > 0) {
      Thread.sleep(waitMillis);
    }
  }

  /** A bot's request loop: signs each call with its credentials of the moment. */
  static final class Traffic implements AutoCloseable {
    final Map<Integer, Integer> byVersion = new ConcurrentHashMap<>();
    final List<String> refusals = new CopyOnWriteArrayList<>();
    final AtomicInteger calls = new AtomicInteger();
    final AtomicBoolean running = new AtomicBoolean(true);
    final Thread thread;

    private Traffic(Bot bot) {
      thread =
          new Thread(
              () -> {
                GetIdentityRequest request =
                    GetIdentityRequest.newBuilder().setAgentId(bot.id()).build();
                while (running.get()) {
                  Credentials now = bot.credentials.get();
                  try {
                    IdentityServiceGrpc.newBlockingStub(channel)
                        .withInterceptors(
                            new SigningClientInterceptor(new RequestSigner(() -> now)))
                        .withDeadlineAfter(5, TimeUnit.SECONDS)
                        .getIdentity(request);
                    byVersion.merge(now.keyVersion(), 1, Integer::sum);
                  } catch (RuntimeException e) {
                    refusals.add("key version " + now.keyVersion() + ": " + e.getMessage());
                  }
                  calls.incrementAndGet();
                }
              },
              "bot-traffic");
      thread.start();
    }

    static Traffic start(Bot bot) {
      return new Traffic(bot);
    }

    int calls() {
      return calls.get();
    }

    void awaitCalls(int atLeast) {
      await().atMost(Duration.ofSeconds(20)).until(() -> calls.get() >= atLeast);
    }

    void stop() throws InterruptedException {
      running.set(false);
      thread.join(10_000);
    }

    @Override
    public void close() throws InterruptedException {
      stop();
    }
  }
}
