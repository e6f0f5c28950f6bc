package io.botfleet.permission;

import static io.botfleet.devkit.StatusDetails.badRequestFields;
import static io.botfleet.devkit.StatusDetails.errorInfo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.botfleet.common.auth.KeyCache;
import io.botfleet.common.v1.AuditServiceGrpc;
import io.botfleet.common.v1.Event;
import io.botfleet.common.v1.ListEventsRequest;
import io.botfleet.common.v1.OperatorRole;
import io.botfleet.devkit.GrpcTestSupport;
import io.botfleet.devkit.TestPrincipal;
import io.botfleet.permission.v1.AssignPermissionsRequest;
import io.botfleet.permission.v1.CheckContext;
import io.botfleet.permission.v1.CheckPermissionRequest;
import io.botfleet.permission.v1.CheckPermissionResponse;
import io.botfleet.permission.v1.PermissionAssignment;
import io.botfleet.permission.v1.PermissionServiceGrpc;
import io.botfleet.permission.v1.Restrictions;
import io.botfleet.permission.v1.Tier;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.assertj.core.api.ThrowableAssert;

/** Signed permission-service stubs for test principals, and the guide's example bots. */
public abstract class PermissionTestSupport extends GrpcTestSupport {

  /** The guide's spot-arb restrictions. */
  protected static final Restrictions SPOT_ARB =
      Restrictions.newBuilder()
          .setMaxOrderSizeUsd("5000")
          .addAllAllowedPairs(List.of("BTC/USDT", "ETH/USDT", "SOL/USDT"))
          .build();

  /** The guide's options-mm restrictions. */
  protected static final Restrictions OPTIONS_MM =
      Restrictions.newBuilder()
          .setMaxOrderSizeUsd("25000")
          .addAllAllowedInstruments(List.of("BTC-*-C", "BTC-*-P", "ETH-*-C", "ETH-*-P"))
          .setMaxDeltaExposure("0.5")
          .build();

  protected static PermissionServiceGrpc.PermissionServiceBlockingStub permissions(
      TestPrincipal principal) {
    return signed(principal, PermissionServiceGrpc.newBlockingStub(channel));
  }

  protected static AuditServiceGrpc.AuditServiceBlockingStub audit(TestPrincipal principal) {
    return signed(principal, AuditServiceGrpc.newBlockingStub(channel));
  }

  protected static TestPrincipal admin(KeyCache cache) {
    return TestPrincipal.operator(OperatorRole.OPERATOR_ROLE_ADMIN).trustedBy(cache);
  }

  protected static TestPrincipal operator(KeyCache cache) {
    return TestPrincipal.operator(OperatorRole.OPERATOR_ROLE_OPERATOR).trustedBy(cache);
  }

  protected static TestPrincipal viewer(KeyCache cache) {
    return TestPrincipal.operator(OperatorRole.OPERATOR_ROLE_VIEWER).trustedBy(cache);
  }

  /**
   * svc-fleet. One key for the whole run: a service's agent id is fixed, so a second principal
   * would replace the first one's key in the cache.
   */
  private static final TestPrincipal FLEET = TestPrincipal.service("fleet");

  protected static TestPrincipal fleet(KeyCache cache) {
    return FLEET.trustedBy(cache);
  }

  protected static TestPrincipal newBot(KeyCache cache) {
    return TestPrincipal.bot().trustedBy(cache);
  }

  /** An assignment request for a bot of the guide's fleet. */
  protected static AssignPermissionsRequest.Builder assignment(
      String agentId, String exchange, Tier tier, Restrictions restrictions) {
    return AssignPermissionsRequest.newBuilder()
        .setAgentId(agentId)
        .setBotName("bot-" + agentId.substring(Math.max(0, agentId.length() - 6)))
        .setGroup("spot-arb")
        .setExchange(exchange)
        .setTier(tier)
        .setRestrictions(restrictions);
  }

  /** Assigns as svc-fleet, the way registration does. */
  protected static PermissionAssignment assign(
      KeyCache cache, String agentId, Tier tier, Restrictions restrictions) {
    return permissions(fleet(cache))
        .assignPermissions(assignment(agentId, "binance", tier, restrictions).build())
        .getAssignment();
  }

  protected static CheckPermissionResponse check(
      TestPrincipal caller, String agentId, String action, CheckContext context) {
    return permissions(caller)
        .checkPermission(
            CheckPermissionRequest.newBuilder()
                .setAgentId(agentId)
                .setAction(action)
                .setContext(context)
                .build());
  }

  protected static CheckContext spotOrder(String pair, String sizeUsd) {
    return CheckContext.newBuilder()
        .setExchange("binance")
        .setPair(pair)
        .setOrderSizeUsd(sizeUsd)
        .build();
  }

  protected static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  /** The events about an agent, oldest first. */
  protected static List<Event> events(KeyCache cache, String agentId) {
    List<Event> events =
        new ArrayList<>(
            audit(admin(cache))
                .listEvents(
                    ListEventsRequest.newBuilder().setAgentId(agentId).setPageSize(1000).build())
                .getEventsList());
    Collections.reverse(events);
    return events;
  }

  /** The types of the events about an agent, oldest first. */
  protected static List<String> eventTypes(KeyCache cache, String agentId) {
    return events(cache, agentId).stream().map(Event::getType).toList();
  }

  /** Asserts a call fails with a status code and an ErrorInfo reason. */
  protected static void assertFails(
      ThrowableAssert.ThrowingCallable call, Status.Code code, String reason) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).as(e.getMessage()).isEqualTo(code);
              assertThat(errorInfo(e).getReason()).isEqualTo(reason);
            });
  }

  /** Asserts a call fails with a status code. */
  protected static void assertCode(ThrowableAssert.ThrowingCallable call, Status.Code code) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).as(e.getMessage()).isEqualTo(code));
  }

  /** Asserts a call fails with INVALID_ARGUMENT naming exactly these fields. */
  protected static void assertInvalid(ThrowableAssert.ThrowingCallable call, String... fields) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode())
                  .as(e.getMessage())
                  .isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(badRequestFields(e)).containsExactlyInAnyOrder(fields);
            });
  }
}
