package io.botfleet.permission.domain;

import static io.botfleet.permission.domain.TestCatalogs.GUIDE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.botfleet.common.error.BotfleetException;
import io.botfleet.common.error.InvalidArgumentException;
import org.junit.jupiter.api.Test;

class BotRoleTest {

  @Test
  void aBlankRoleIsATradingBotAndAnUnknownOneIsRefused() {
    assertThat(BotRole.parse("", "role")).isEqualTo(BotRole.TRADING_BOT);
    assertThat(BotRole.parse("withdrawal_agent", "role")).isEqualTo(BotRole.WITHDRAWAL_AGENT);
    assertThatThrownBy(() -> BotRole.parse("admin_bot", "role"))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("role");
  }

  @Test
  void withdrawAndAdminAreNeverAssignedDirectlyToAnyone() {
    for (String tier : new String[] {"withdraw", "admin"}) {
      assertThatThrownBy(() -> BotRole.TRADING_BOT.requireAssignable(GUIDE.get(tier)))
          .isInstanceOfSatisfying(
              BotfleetException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(BotfleetException.Kind.PERMISSION_DENIED);
                assertThat(e.reason()).isEqualTo("TRADING_BOT_PRIVILEGED_TIER");
              });
      assertThatThrownBy(() -> BotRole.WITHDRAWAL_AGENT.requireAssignable(GUIDE.get(tier)))
          .isInstanceOfSatisfying(
              BotfleetException.class,
              e -> assertThat(e.reason()).isEqualTo("PRIVILEGED_TIER_ONLY_BY_ESCALATION"));
    }
    assertThatCode(() -> BotRole.TRADING_BOT.requireAssignable(GUIDE.get("trade")))
        .doesNotThrowAnyException();
  }

  @Test
  void onlyAWithdrawalAgentMayBeEscalatedToAPrivilegedTier() {
    assertThatThrownBy(() -> BotRole.TRADING_BOT.requireEscalatable(GUIDE.get("withdraw")))
        .isInstanceOfSatisfying(
            BotfleetException.class,
            e -> assertThat(e.kind()).isEqualTo(BotfleetException.Kind.PERMISSION_DENIED));
    assertThatCode(() -> BotRole.WITHDRAWAL_AGENT.requireEscalatable(GUIDE.get("withdraw")))
        .doesNotThrowAnyException();
    assertThatCode(() -> BotRole.TRADING_BOT.requireEscalatable(GUIDE.get("trade")))
        .doesNotThrowAnyException();
  }
}
