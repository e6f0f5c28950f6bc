package io.botfleet.fleet.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.botfleet.common.error.BotfleetException;
import io.botfleet.common.error.InvalidArgumentException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BotRegistrationTest {

  private static BotRegistration request(Tier tier) {
    return new BotRegistration(
        "options-mm-01",
        "options-mm",
        "deribit",
        "delta-neutral-mm",
        "3.1.0",
        List.of(),
        null,
        Map.of(),
        tier,
        null,
        "",
        false,
        null,
        "req-1");
  }

  @Test
  void theGuidesDefaultsFillWhatIsLeftEmpty() {
    BotRegistration r = request(null).withDefaults();

    assertThat(r.capabilities()).containsExactly("trading", "metrics_reporting");
    assertThat(r.maxPositionUsd()).isEqualByComparingTo(new BigDecimal("10000"));
    assertThat(r.tier()).isEqualTo(Tier.TRADE);
    assertThat(r.role()).isEqualTo("trading_bot");
    assertThat(r.enrollmentTtl()).isEqualTo(Duration.ofHours(1));
    r.check();
  }

  @Test
  void withdrawAndAdminAreNeverGivenAtRegistration() {
    assertThatThrownBy(() -> request(Tier.WITHDRAW).withDefaults().check())
        .isInstanceOfSatisfying(
            BotfleetException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(BotfleetException.Kind.PERMISSION_DENIED);
              assertThat(e.reason()).isEqualTo("TIER_NEEDS_ESCALATION");
            });
  }

  @Test
  void everyMalformedFieldIsNamedAtOnce() {
    BotRegistration bad =
        new BotRegistration(
                "Options MM",
                "",
                "deribit",
                "x",
                "1",
                List.of("Bad Cap"),
                new BigDecimal("-5"),
                Map.of(),
                Tier.TRADE,
                null,
                "market_maker",
                false,
                Duration.ofSeconds(5),
                "")
            .withDefaults();

    assertThatThrownBy(bad::check)
        .isInstanceOfSatisfying(
            InvalidArgumentException.class,
            e ->
                assertThat(e.violations())
                    .extracting(InvalidArgumentException.FieldViolation::field)
                    .containsExactly(
                        "name",
                        "group",
                        "capabilities",
                        "max_position_usd",
                        "role",
                        "enrollment_ttl",
                        "request_id"));
  }
}
