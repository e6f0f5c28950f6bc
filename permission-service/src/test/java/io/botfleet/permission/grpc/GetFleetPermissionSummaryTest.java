package io.botfleet.permission.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.botfleet.common.auth.KeyCache;
import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.PostgresTestResource;
import io.botfleet.permission.PermissionTestSupport;
import io.botfleet.permission.v1.GetFleetPermissionSummaryRequest;
import io.botfleet.permission.v1.GetFleetPermissionSummaryResponse;
import io.botfleet.permission.v1.Restrictions;
import io.botfleet.permission.v1.SuspendBotRequest;
import io.botfleet.permission.v1.SuspendedBot;
import io.botfleet.permission.v1.SuspensionMode;
import io.botfleet.permission.v1.Tier;
import io.grpc.Status;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
class GetFleetPermissionSummaryTest extends PermissionTestSupport {

  @Inject KeyCache keyCache;

  private GetFleetPermissionSummaryResponse summary() {
    return permissions(viewer(keyCache))
        .getFleetPermissionSummary(GetFleetPermissionSummaryRequest.getDefaultInstance());
  }

  @Test
  void theSummaryCountsTiersAndNamesSuspendedBots() {
    GetFleetPermissionSummaryResponse before = summary();
    String trader = unique("bot");
    String reader = unique("bot");
    var traderName = assign(keyCache, trader, Tier.TIER_TRADE, SPOT_ARB).getBotName();
    assign(keyCache, reader, Tier.TIER_READ_ONLY, Restrictions.getDefaultInstance());
    permissions(fleet(keyCache))
        .suspendBot(
            SuspendBotRequest.newBuilder()
                .addAgentIds(trader)
                .setMode(SuspensionMode.SUSPENSION_MODE_STOPPED)
                .setReason("emergency_stop")
                .build());

    GetFleetPermissionSummaryResponse after = summary();

    assertThat(after.getTotalBots()).isEqualTo(before.getTotalBots() + 2);
    assertThat(after.getTierCountsMap())
        .containsOnlyKeys("read_only", "trade", "withdraw", "admin")
        .containsEntry("trade", before.getTierCountsMap().get("trade") + 1)
        .containsEntry("read_only", before.getTierCountsMap().get("read_only") + 1);
    assertThat(after.getTierCountsMap().values().stream().mapToInt(Integer::intValue).sum())
        .isEqualTo(after.getTotalBots());
    assertThat(after.getSuspendedList())
        .filteredOn(s -> s.getAgentId().equals(trader))
        .singleElement()
        .extracting(SuspendedBot::getBotName, SuspendedBot::getMode)
        .containsExactly(traderName, SuspensionMode.SUSPENSION_MODE_STOPPED);
    assertThat(after.getWithdrawEnabledList()).doesNotContain(traderName);
    assertThat(after.hasCreateTime()).isTrue();
  }

  @Test
  void botsMayNotReadTheFleetSummary() {
    assertCode(
        () ->
            permissions(newBot(keyCache))
                .getFleetPermissionSummary(GetFleetPermissionSummaryRequest.getDefaultInstance()),
        Status.Code.PERMISSION_DENIED);
  }
}
