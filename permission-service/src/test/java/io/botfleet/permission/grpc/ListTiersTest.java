package io.botfleet.permission.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.botfleet.common.auth.KeyCache;
import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.GrpcTestSupport;
import io.botfleet.devkit.PostgresTestResource;
import io.botfleet.devkit.TestPrincipal;
import io.botfleet.permission.v1.ListTiersRequest;
import io.botfleet.permission.v1.PermissionServiceGrpc;
import io.botfleet.permission.v1.Tier;
import io.botfleet.permission.v1.TierDefinition;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
class ListTiersTest extends GrpcTestSupport {

  @Inject KeyCache keyCache;

  @Test
  void theFourTiersHaveExactlyTheGuidesCumulativePermissionSets() {
    List<TierDefinition> tiers = listTiers(TestPrincipal.bot().trustedBy(keyCache));

    assertThat(tiers)
        .extracting(TierDefinition::getTier)
        .containsExactly(Tier.TIER_READ_ONLY, Tier.TIER_TRADE, Tier.TIER_WITHDRAW, Tier.TIER_ADMIN);
    assertThat(tiers.get(0).getPermissionsList())
        .containsExactlyInAnyOrder(
            "read_orderbook",
            "read_positions",
            "read_balances",
            "read_trade_history",
            "report_metrics",
            "receive_commands");
    assertThat(tiers.get(1).getPermissionsList())
        .containsAll(tiers.get(0).getPermissionsList())
        .contains("place_order", "cancel_order", "modify_order")
        .hasSize(9);
    assertThat(tiers.get(2).getPermissionsList())
        .contains("withdraw_funds", "transfer_between_accounts")
        .hasSize(11);
    assertThat(tiers.get(3).getPermissionsList())
        .contains("modify_api_keys", "modify_account_settings", "register_sub_accounts")
        .hasSize(14);
  }

  @Test
  void exchangeMappingsAreTheGuidesAndAdminHasNone() {
    List<TierDefinition> tiers = listTiers(TestPrincipal.bot().trustedBy(keyCache));

    var binanceTrade =
        tiers.get(1).getExchangeMappingsList().stream()
            .filter(m -> m.getExchange().equals("binance"))
            .findFirst()
            .orElseThrow()
            .getConfig()
            .getFieldsMap();
    assertThat(binanceTrade.get("enableSpotAndMarginTrading").getBoolValue()).isTrue();
    assertThat(binanceTrade.get("enableWithdrawals").getBoolValue()).isFalse();
    var deribitWithdraw =
        tiers.get(2).getExchangeMappingsList().stream()
            .filter(m -> m.getExchange().equals("deribit"))
            .findFirst()
            .orElseThrow();
    assertThat(deribitWithdraw.getConfig().getFieldsMap().get("scope").getStringValue())
        .isEqualTo("trade:read:withdraw");
    assertThat(tiers.get(3).getExchangeMappingsList()).isEmpty();
  }

  @Test
  void bybitIsMappedWithItsReadOnlyFlagAndWalletPermissions() {
    List<TierDefinition> tiers = listTiers(TestPrincipal.bot().trustedBy(keyCache));

    for (TierDefinition tier : tiers.subList(0, 3)) {
      assertThat(tier.getExchangeMappingsList())
          .extracting(m -> m.getExchange())
          .containsExactly("binance", "bybit", "deribit", "okx");
    }
    var readOnly = bybit(tiers.get(0));
    var withdraw = bybit(tiers.get(2));
    assertThat(readOnly.get("readOnly").getNumberValue()).isEqualTo(1);
    assertThat(wallet(readOnly)).isEmpty();
    assertThat(bybit(tiers.get(1)).get("readOnly").getNumberValue()).isZero();
    assertThat(wallet(withdraw))
        .containsExactly("AccountTransfer", "SubMemberTransfer", "Withdraw");
    assertThat(withdraw.get("ipWhitelistRequired").getBoolValue()).isTrue();
  }

  private static java.util.Map<String, com.google.protobuf.Value> bybit(TierDefinition tier) {
    return tier.getExchangeMappingsList().stream()
        .filter(m -> m.getExchange().equals("bybit"))
        .findFirst()
        .orElseThrow()
        .getConfig()
        .getFieldsMap();
  }

  private static List<String> wallet(java.util.Map<String, com.google.protobuf.Value> config) {
    return config
        .get("permissions")
        .getStructValue()
        .getFieldsMap()
        .get("Wallet")
        .getListValue()
        .getValuesList()
        .stream()
        .map(com.google.protobuf.Value::getStringValue)
        .toList();
  }

  private static List<TierDefinition> listTiers(TestPrincipal principal) {
    return signed(principal, PermissionServiceGrpc.newBlockingStub(channel))
        .listTiers(ListTiersRequest.getDefaultInstance())
        .getTiersList();
  }
}
