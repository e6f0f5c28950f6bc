package io.botfleet.permission.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Duration;
import io.botfleet.common.auth.KeyCache;
import io.botfleet.devkit.GreenHelixStandIn;
import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.PostgresTestResource;
import io.botfleet.devkit.TestPrincipal;
import io.botfleet.permission.PermissionTestSupport;
import io.botfleet.permission.service.EscalationSweeper;
import io.botfleet.permission.service.PermissionView;
import io.botfleet.permission.v1.ApproveEscalationRequest;
import io.botfleet.permission.v1.ApproveEscalationResponse;
import io.botfleet.permission.v1.CheckContext;
import io.botfleet.permission.v1.DecisionRule;
import io.botfleet.permission.v1.DenyEscalationRequest;
import io.botfleet.permission.v1.Escalation;
import io.botfleet.permission.v1.EscalationState;
import io.botfleet.permission.v1.GetPermissionsRequest;
import io.botfleet.permission.v1.ListEscalationsRequest;
import io.botfleet.permission.v1.PermissionAssignment;
import io.botfleet.permission.v1.RequestEscalationRequest;
import io.botfleet.permission.v1.Restrictions;
import io.botfleet.permission.v1.Tier;
import io.grpc.Status;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
class EscalationFlowTest extends PermissionTestSupport {

  private static final Duration ONE_HOUR = Duration.newBuilder().setSeconds(3600).build();

  @Inject KeyCache keyCache;
  @Inject EscalationSweeper sweeper;
  @Inject PermissionView view;
  @Inject EntityManager entityManager;

  /** A withdrawal agent holding read_only on binance. */
  private String withdrawalAgent() {
    String agent = unique("payout");
    permissions(fleet(keyCache))
        .assignPermissions(
            assignment(agent, "binance", Tier.TIER_READ_ONLY, Restrictions.getDefaultInstance())
                .setRole("withdrawal_agent")
                .build());
    return agent;
  }

  private static Escalation request(
      TestPrincipal requester, String agent, Tier tier, Duration duration) {
    RequestEscalationRequest.Builder request =
        RequestEscalationRequest.newBuilder()
            .setAgentId(agent)
            .setNewTier(tier)
            .setReason("monthly payout to cold storage");
    if (duration != null) {
      request.setDuration(duration);
    }
    return permissions(requester).requestEscalation(request.build()).getEscalation();
  }

  private static ApproveEscalationResponse approve(TestPrincipal approver, Escalation escalation) {
    return permissions(approver)
        .approveEscalation(
            ApproveEscalationRequest.newBuilder()
                .setEscalationId(escalation.getId())
                .setNote("checked the payout ticket")
                .build());
  }

  private PermissionAssignment permissionsOf(String agent) {
    return permissions(admin(keyCache))
        .getPermissions(GetPermissionsRequest.newBuilder().setAgentId(agent).build())
        .getAssignment();
  }

  private boolean mayWithdraw(String agent) {
    return check(fleet(keyCache), agent, "withdraw_funds", CheckContext.getDefaultInstance())
        .getAllowed();
  }

  @Test
  void aSecondAdminApprovesAndTheEscalatedTierIsInForce() {
    GreenHelixStandIn greenHelix = GreenHelixTestResource.standIn();
    String agent = withdrawalAgent();
    TestPrincipal requester = operator(keyCache);
    TestPrincipal approver = admin(keyCache);

    Escalation pending = request(requester, agent, Tier.TIER_WITHDRAW, ONE_HOUR);
    assertThat(pending.getState()).isEqualTo(EscalationState.ESCALATION_STATE_PENDING);
    assertThat(pending.getOldTier()).isEqualTo(Tier.TIER_READ_ONLY);
    assertThat(mayWithdraw(agent)).isFalse();

    ApproveEscalationResponse approved = approve(approver, pending);

    assertThat(approved.getEscalation().getState())
        .isEqualTo(EscalationState.ESCALATION_STATE_ACTIVE);
    assertThat(approved.getEscalation().getDecidedBy()).isEqualTo(approver.agentId());
    assertThat(approved.getEscalation().getExpireTime().getSeconds())
        .isBetween(Instant.now().getEpochSecond() + 3500, Instant.now().getEpochSecond() + 3700);
    assertThat(approved.getAssignment().getTier()).isEqualTo(Tier.TIER_WITHDRAW);
    assertThat(approved.getAssignment().getBaseTier()).isEqualTo(Tier.TIER_READ_ONLY);
    assertThat(approved.getAssignment().getEscalationId()).isEqualTo(pending.getId());
    assertThat(approved.getAssignment().getExchangeConfig().getFieldsMap())
        .containsKey("withdrawalAddressWhitelist");
    assertThat(mayWithdraw(agent)).isTrue();
    var escalated =
        events(keyCache, agent).stream()
            .filter(e -> e.getType().equals("fleet.permission_escalated"))
            .findFirst()
            .orElseThrow();
    assertThat(escalated.getActor()).isEqualTo(approver.agentId());
    assertThat(escalated.getPayload().getFieldsMap())
        .containsKeys(
            "target_agent_id",
            "bot_name",
            "old_tier",
            "new_tier",
            "reason",
            "approved_by",
            "escalated_at");
    assertThat(escalated.getPayload().getFieldsMap().get("approved_by").getStringValue())
        .isEqualTo(approver.agentId());
    await()
        .until(
            () ->
                greenHelix.accepted("submit_metrics").stream()
                    .anyMatch(
                        c ->
                            c.input().path("agent_id").asText().equals(agent)
                                && c.input().path("metrics").path("has_withdraw").asBoolean()));
    assertThat(greenHelix.violations()).isEmpty();
  }

  @Test
  void theRequesterCanNeverApproveTheirOwnRequest() {
    String agent = withdrawalAgent();
    TestPrincipal admin = admin(keyCache);
    Escalation pending = request(admin, agent, Tier.TIER_WITHDRAW, null);

    assertFails(() -> approve(admin, pending), Status.Code.PERMISSION_DENIED, "SELF_APPROVAL");
    assertCode(() -> approve(operator(keyCache), pending), Status.Code.PERMISSION_DENIED);

    assertThat(permissionsOf(agent).getTier()).isEqualTo(Tier.TIER_READ_ONLY);
    assertThat(mayWithdraw(agent)).isFalse();
  }

  @Test
  void aTradingBotCanNeverBeEscalatedToWithdraw() {
    String bot = unique("bot");
    assign(keyCache, bot, Tier.TIER_TRADE, SPOT_ARB);

    assertFails(
        () -> request(operator(keyCache), bot, Tier.TIER_WITHDRAW, ONE_HOUR),
        Status.Code.PERMISSION_DENIED,
        "TRADING_BOT_PRIVILEGED_TIER");
    assertFails(
        () -> request(operator(keyCache), bot, Tier.TIER_READ_ONLY, null),
        Status.Code.FAILED_PRECONDITION,
        "NOT_AN_ESCALATION");
  }

  @Test
  void aTierWithoutAMappingOnTheBotsExchangeIsInvalid() {
    assertInvalid(
        () -> request(operator(keyCache), withdrawalAgent(), Tier.TIER_ADMIN, null), "new_tier");
  }

  @Test
  void badRequestsAreRefusedFieldByField() {
    String agent = withdrawalAgent();

    assertInvalid(
        () ->
            permissions(operator(keyCache))
                .requestEscalation(
                    RequestEscalationRequest.newBuilder()
                        .setAgentId(agent)
                        .setNewTier(Tier.TIER_UNSPECIFIED)
                        .setDuration(Duration.newBuilder().setSeconds(5))
                        .build()),
        "new_tier",
        "reason",
        "duration");
    assertFails(
        () -> request(operator(keyCache), unique("ghost"), Tier.TIER_WITHDRAW, null),
        Status.Code.NOT_FOUND,
        "PERMISSIONS_NOT_FOUND");
    assertCode(
        () -> request(viewer(keyCache), agent, Tier.TIER_WITHDRAW, null),
        Status.Code.PERMISSION_DENIED);
    assertInvalid(
        () ->
            permissions(admin(keyCache))
                .approveEscalation(
                    ApproveEscalationRequest.newBuilder().setEscalationId("nope").build()),
        "escalation_id");
    assertFails(
        () ->
            permissions(admin(keyCache))
                .approveEscalation(
                    ApproveEscalationRequest.newBuilder()
                        .setEscalationId(UUID.randomUUID().toString())
                        .build()),
        Status.Code.NOT_FOUND,
        "ESCALATION_NOT_FOUND");
  }

  @Test
  void oneRequestWaitsAtATimeAndADeniedOneCannotBeApproved() {
    String agent = withdrawalAgent();
    Escalation pending = request(operator(keyCache), agent, Tier.TIER_WITHDRAW, null);

    assertFails(
        () -> request(operator(keyCache), agent, Tier.TIER_TRADE, null),
        Status.Code.ALREADY_EXISTS,
        "ESCALATION_PENDING");
    Escalation denied =
        permissions(admin(keyCache))
            .denyEscalation(
                DenyEscalationRequest.newBuilder()
                    .setEscalationId(pending.getId())
                    .setReason("no payout ticket")
                    .build())
            .getEscalation();

    assertThat(denied.getState()).isEqualTo(EscalationState.ESCALATION_STATE_DENIED);
    assertThat(denied.getDecisionNote()).isEqualTo("no payout ticket");
    assertFails(
        () -> approve(admin(keyCache), pending),
        Status.Code.FAILED_PRECONDITION,
        "ESCALATION_NOT_PENDING");
    assertThat(eventTypes(keyCache, agent))
        .containsExactly(
            "fleet.permission_assigned",
            "fleet.permission_escalation_requested",
            "fleet.permission_escalation_denied");
  }

  @Test
  void anExpiredRequestCannotBeApprovedAndChangesNothing() {
    String agent = withdrawalAgent();
    Escalation pending = request(operator(keyCache), agent, Tier.TIER_WITHDRAW, null);
    // Its approval deadline passes.
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                entityManager
                    .createNativeQuery(
                        "update escalations set approval_deadline = now() - interval '1 second'"
                            + " where id = cast(:id as uuid)")
                    .setParameter("id", pending.getId())
                    .executeUpdate());

    assertFails(
        () -> approve(admin(keyCache), pending),
        Status.Code.FAILED_PRECONDITION,
        "ESCALATION_EXPIRED");
    assertThat(permissionsOf(agent).getTier()).isEqualTo(Tier.TIER_READ_ONLY);

    sweeper.sweep(Instant.now());

    var listed =
        permissions(viewer(keyCache))
            .listEscalations(ListEscalationsRequest.newBuilder().setAgentId(agent).build())
            .getEscalationsList();
    assertThat(listed)
        .singleElement()
        .extracting(Escalation::getState)
        .isEqualTo(EscalationState.ESCALATION_STATE_EXPIRED);
    assertThat(eventTypes(keyCache, agent)).contains("fleet.permission_escalation_expired");
  }

  @Test
  void theBaseTierComesBackByItselfWhenTheDurationEndsEvenAfterARestart() {
    String agent = withdrawalAgent();
    Escalation pending = request(operator(keyCache), agent, Tier.TIER_WITHDRAW, ONE_HOUR);
    approve(admin(keyCache), pending);
    view.reload();
    assertThat(mayWithdraw(agent)).isTrue();

    // An hour and a minute later (the schedule is in the database, so a restart loses nothing).
    sweeper.sweep(Instant.now().plusSeconds(3660));

    PermissionAssignment after = permissionsOf(agent);
    assertThat(after.getTier()).isEqualTo(Tier.TIER_READ_ONLY);
    assertThat(after.getEscalationId()).isEmpty();
    assertThat(
            check(fleet(keyCache), agent, "withdraw_funds", CheckContext.getDefaultInstance())
                .getRule())
        .isEqualTo(DecisionRule.DECISION_RULE_TIER);
    var ended =
        events(keyCache, agent).stream()
            .filter(e -> e.getType().equals("fleet.permission_escalation_ended"))
            .findFirst()
            .orElseThrow();
    assertThat(ended.getActor()).isEqualTo("system");
    assertThat(ended.getPayload().getFieldsMap().get("new_tier").getStringValue())
        .isEqualTo("read_only");
  }

  @Test
  void aNewAssignmentEndsAnActiveEscalation() {
    String agent = withdrawalAgent();
    approve(admin(keyCache), request(operator(keyCache), agent, Tier.TIER_WITHDRAW, null));
    assertThat(mayWithdraw(agent)).isTrue();

    permissions(fleet(keyCache))
        .assignPermissions(
            assignment(agent, "binance", Tier.TIER_READ_ONLY, Restrictions.getDefaultInstance())
                .setRole("withdrawal_agent")
                .build());

    assertThat(mayWithdraw(agent)).isFalse();
    assertThat(
            permissions(viewer(keyCache))
                .listEscalations(
                    ListEscalationsRequest.newBuilder()
                        .setAgentId(agent)
                        .setState(EscalationState.ESCALATION_STATE_EXPIRED)
                        .build())
                .getEscalationsList())
        .hasSize(1);
  }

  @Test
  void escalationsAreListedNewestFirstPageByPage() {
    String agent = withdrawalAgent();
    TestPrincipal admin = admin(keyCache);
    Escalation first = request(operator(keyCache), agent, Tier.TIER_TRADE, null);
    permissions(admin)
        .denyEscalation(
            DenyEscalationRequest.newBuilder()
                .setEscalationId(first.getId())
                .setReason("no")
                .build());
    Escalation second = request(operator(keyCache), agent, Tier.TIER_WITHDRAW, null);

    var page1 =
        permissions(admin)
            .listEscalations(
                ListEscalationsRequest.newBuilder().setAgentId(agent).setPageSize(1).build());
    var page2 =
        permissions(admin)
            .listEscalations(
                ListEscalationsRequest.newBuilder()
                    .setAgentId(agent)
                    .setPageSize(1)
                    .setPageToken(page1.getNextPageToken())
                    .build());

    assertThat(page1.getEscalationsList())
        .extracting(Escalation::getId)
        .containsExactly(second.getId());
    assertThat(page2.getEscalationsList())
        .extracting(Escalation::getId)
        .containsExactly(first.getId());
    assertThat(page2.getNextPageToken()).isEmpty();
    assertThat(
            permissions(admin)
                .listEscalations(
                    ListEscalationsRequest.newBuilder()
                        .setAgentId(agent)
                        .setState(EscalationState.ESCALATION_STATE_PENDING)
                        .build())
                .getEscalationsList())
        .extracting(Escalation::getId)
        .containsExactly(second.getId());
  }
}
