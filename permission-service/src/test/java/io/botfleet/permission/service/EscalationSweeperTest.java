package io.botfleet.permission.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
class EscalationSweeperTest {

  /** The sweep's advisory lock key (EscalationRepository). */
  private static final long SWEEP_LOCK = 0x7065726d5f737770L;

  @Inject EscalationSweeper sweeper;
  @Inject EntityManager entityManager;

  @Test
  void onlyOneReplicaSweepsAtATime() throws Exception {
    CountDownLatch locked = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    // Another replica's sweep, holding the lock in its transaction.
    CompletableFuture<Void> other =
        CompletableFuture.runAsync(
            () ->
                QuarkusTransaction.requiringNew()
                    .run(
                        () -> {
                          entityManager
                              .createNativeQuery("select pg_advisory_xact_lock(:lock)")
                              .setParameter("lock", SWEEP_LOCK)
                              .getSingleResult();
                          locked.countDown();
                          try {
                            release.await(10, TimeUnit.SECONDS);
                          } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                          }
                        }));
    assertThat(locked.await(10, TimeUnit.SECONDS)).isTrue();

    EscalationSweeper.Swept whileHeld = sweeper.sweep(Instant.now());
    release.countDown();
    other.get(10, TimeUnit.SECONDS);

    assertThat(whileHeld.ran()).isFalse();
    // Once it is released, this replica sweeps (the scheduled sweep may hold it for a moment).
    await().atMost(Duration.ofSeconds(5)).until(() -> sweeper.sweep(Instant.now()).ran());
  }
}
