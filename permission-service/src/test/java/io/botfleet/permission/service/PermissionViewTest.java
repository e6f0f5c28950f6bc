package io.botfleet.permission.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.botfleet.common.auth.KeyCache;
import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.PostgresTestResource;
import io.botfleet.permission.PermissionTestSupport;
import io.botfleet.permission.domain.CheckContext;
import io.botfleet.permission.domain.DecisionRule;
import io.botfleet.permission.v1.Tier;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The in-memory view follows changes another replica commits: it writes the same rows, change log
 * and notification this replica's own writes do, and this replica's checks follow.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
class PermissionViewTest extends PermissionTestSupport {

  @Inject KeyCache keyCache;
  @Inject CheckService checks;
  @Inject EntityManager entityManager;

  private DecisionRule placeOrder(String bot) {
    return checks
        .check(
            bot,
            "place_order",
            new CheckContext(
                "binance", "BTC/USDT", "", java.math.BigDecimal.ONE, false, null, null))
        .rule();
  }

  /** What another replica's SuspendBot leaves in the database, committed. */
  private void otherReplicaStops(String bot, boolean notify) {
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              entityManager
                  .createNativeQuery(
                      "update assignments set suspension_mode = 'STOPPED', suspended_at = now(),"
                          + " suspended_by = 'svc-fleet' where agent_id = :bot")
                  .setParameter("bot", bot)
                  .executeUpdate();
              entityManager
                  .createNativeQuery("select pg_advisory_xact_lock(8099005318973057127)")
                  .getSingleResult();
              entityManager
                  .createNativeQuery("insert into assignment_changes (agent_id) values (:bot)")
                  .setParameter("bot", bot)
                  .executeUpdate();
              if (notify) {
                entityManager
                    .createNativeQuery("select pg_notify('permission_changes', 'changed')")
                    .getSingleResult();
              }
            });
  }

  @Test
  void aChangeCommittedByAnotherReplicaArrivesThroughNotify() {
    String bot = unique("bot");
    assign(keyCache, bot, Tier.TIER_TRADE, SPOT_ARB);
    assertThat(placeOrder(bot)).isEqualTo(DecisionRule.ALLOWED);

    long start = System.nanoTime();
    otherReplicaStops(bot, true);

    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(5))
        .until(() -> placeOrder(bot) == DecisionRule.SUSPENDED_STOPPED);
    System.out.printf(
        "Change from another replica applied after %d ms%n",
        (System.nanoTime() - start) / 1_000_000);
  }

  @Test
  void aLostNotificationIsMadeUpByThePoll() {
    String bot = unique("bot");
    assign(keyCache, bot, Tier.TIER_TRADE, SPOT_ARB);

    otherReplicaStops(bot, false);

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> placeOrder(bot) == DecisionRule.SUSPENDED_STOPPED);
  }
}
