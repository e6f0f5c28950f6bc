package io.botfleet.permission.domain;

import static io.botfleet.permission.domain.TestCatalogs.GUIDE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.botfleet.common.error.BotfleetException;
import io.botfleet.common.error.InvalidArgumentException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EscalationTest {

  private static final Instant ASKED = Instant.parse("2026-11-25T10:00:00Z");

  private static Escalation pending(EscalationState state) {
    return new Escalation(
        UUID.randomUUID(),
        "bot-1",
        "withdrawal-01",
        "read_only",
        "withdraw",
        "monthly payout",
        "op-alice",
        ASKED,
        ASKED.plus(Duration.ofHours(1)),
        Duration.ofMinutes(30),
        state,
        null,
        null,
        null,
        null,
        null);
  }

  private static BotfleetException.Kind kindOf(Runnable call) {
    try {
      call.run();
    } catch (BotfleetException e) {
      return e.kind();
    }
    return null;
  }

  @Test
  void theRequesterCanNeverApproveTheirOwnRequest() {
    Escalation escalation = pending(EscalationState.PENDING);

    assertThatThrownBy(() -> escalation.requireApprovableBy("op-alice", ASKED.plusSeconds(1)))
        .isInstanceOfSatisfying(
            BotfleetException.class, e -> assertThat(e.reason()).isEqualTo("SELF_APPROVAL"));
    assertThatCode(() -> escalation.requireApprovableBy("op-bob", ASKED.plusSeconds(1)))
        .doesNotThrowAnyException();
  }

  @Test
  void anExpiredOrDecidedRequestCannotBeDecided() {
    Instant late = ASKED.plus(Duration.ofHours(1));

    assertThat(kindOf(() -> pending(EscalationState.PENDING).requireApprovableBy("op-bob", late)))
        .isEqualTo(BotfleetException.Kind.FAILED_PRECONDITION);
    for (EscalationState state :
        new EscalationState[] {
          EscalationState.ACTIVE, EscalationState.DENIED, EscalationState.EXPIRED
        }) {
      assertThat(kindOf(() -> pending(state).requireDecidable(ASKED)))
          .isEqualTo(BotfleetException.Kind.FAILED_PRECONDITION);
    }
  }

  @Test
  void anApprovedEscalationEndsItsDurationAfterTheApproval() {
    assertThat(pending(EscalationState.PENDING).endWhenApprovedAt(ASKED.plusSeconds(60)))
        .isEqualTo(ASKED.plusSeconds(60).plus(Duration.ofMinutes(30)));
  }

  @Test
  void requestsAreCheckedFieldByField() {
    EscalationRequest bad =
        new EscalationRequest("", "superuser", " ", Duration.ofSeconds(59), Duration.ofDays(8));

    assertThatThrownBy(() -> bad.check(GUIDE))
        .isInstanceOfSatisfying(
            InvalidArgumentException.class,
            e ->
                assertThat(e.violations())
                    .extracting(InvalidArgumentException.FieldViolation::field)
                    .containsExactly(
                        "agent_id", "new_tier", "reason", "duration", "approval_timeout"));
    EscalationRequest good = new EscalationRequest("bot-1", "withdraw", "payout", null, null);
    assertThatCode(() -> good.check(GUIDE)).doesNotThrowAnyException();
    assertThat(good.approvalTimeoutOrDefault()).isEqualTo(Duration.ofHours(24));
  }

  private static Assignment agent(String tier, String baseTier, Instant escalationEnds) {
    return new Assignment(
        "bot-1",
        "withdrawal-01",
        null,
        BotRole.WITHDRAWAL_AGENT,
        "binance",
        baseTier,
        tier,
        tier.equals(baseTier) ? null : UUID.randomUUID(),
        escalationEnds,
        Restrictions.NONE,
        "op-1",
        ASKED,
        null);
  }

  @Test
  void anEscalationMustRaiseTheTierInForceAndCannotStackOnAnother() {
    TierDefinition withdraw = GUIDE.get("withdraw");
    TierDefinition admin = GUIDE.get("admin");

    assertThatCode(
            () -> agent("read_only", "read_only", null).requireEscalationTo(withdraw, GUIDE, ASKED))
        .doesNotThrowAnyException();
    assertThatThrownBy(
            () ->
                agent("trade", "trade", null).requireEscalationTo(GUIDE.get("trade"), GUIDE, ASKED))
        .isInstanceOfSatisfying(
            BotfleetException.class, e -> assertThat(e.reason()).isEqualTo("NOT_AN_ESCALATION"));
    Instant end = ASKED.plusSeconds(60);
    assertThatThrownBy(
            () -> agent("withdraw", "read_only", end).requireEscalationTo(admin, GUIDE, ASKED))
        .isInstanceOfSatisfying(
            BotfleetException.class, e -> assertThat(e.reason()).isEqualTo("ESCALATION_ACTIVE"));
    // Once the first has ended, the base tier is in force and a new escalation may follow.
    assertThatCode(
            () -> agent("withdraw", "read_only", end).requireEscalationTo(withdraw, GUIDE, end))
        .doesNotThrowAnyException();
  }

  @Test
  void anEscalationNeedsAMappingOnTheBotsExchange() {
    assertThatThrownBy(
            () ->
                agent("read_only", "read_only", null)
                    .requireEscalationTo(GUIDE.get("admin"), GUIDE, ASKED))
        .isInstanceOfSatisfying(
            InvalidArgumentException.class,
            e ->
                assertThat(e.violations())
                    .extracting(InvalidArgumentException.FieldViolation::field)
                    .containsExactly("new_tier"));
  }
}
