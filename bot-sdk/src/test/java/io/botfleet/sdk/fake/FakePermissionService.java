package io.botfleet.sdk.fake;

import io.botfleet.permission.v1.CheckContext;
import io.botfleet.permission.v1.CheckFieldError;
import io.botfleet.permission.v1.CheckPermissionResponse;
import io.botfleet.permission.v1.DecisionRule;
import io.botfleet.permission.v1.PermissionServiceGrpc;
import io.botfleet.permission.v1.StreamPermissionChecksRequest;
import io.botfleet.permission.v1.StreamPermissionChecksResponse;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * permission-service's check stream, deciding from rules the test sets: the actions a bot's tier
 * grants, its largest order, a pause. As the real service: deny by default (a bot without rules is
 * an unknown bot), answers in order echoing check_id, and a malformed check is answered with its
 * field errors while the stream stays open. Tests can hold answers back (a hung service) and cut
 * the streams.
 */
public final class FakePermissionService extends PermissionServiceGrpc.PermissionServiceImplBase {

  private final Map<String, Set<String>> granted = new ConcurrentHashMap<>();
  private final Map<String, BigDecimal> maxOrderSize = new ConcurrentHashMap<>();
  private final Set<String> paused = ConcurrentHashMap.newKeySet();
  private final Map<String, Set<ServerCallStreamObserver<StreamPermissionChecksResponse>>> streams =
      new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> received = new ConcurrentHashMap<>();
  private volatile boolean silent;

  FakePermissionService() {}

  // ---- steering ----

  /** The bot's tier grants these actions (and nothing else). */
  public void grant(String agentId, String... actions) {
    granted.put(agentId, Set.of(actions));
  }

  /** The bot's max_order_size_usd restriction. */
  public void maxOrderSizeUsd(String agentId, String usd) {
    maxOrderSize.put(agentId, new BigDecimal(usd));
  }

  /** Pauses (or resumes) the bot: every check is denied as SUSPENDED_PAUSED. */
  public void paused(String agentId, boolean paused) {
    if (paused) {
      this.paused.add(agentId);
    } else {
      this.paused.remove(agentId);
    }
  }

  /** Stops (or restarts) answering checks, keeping the streams open: a hung service. */
  public void silent(boolean silent) {
    this.silent = silent;
  }

  /** Closes every check stream with UNAVAILABLE, as a restarting service would. */
  public void dropStreams() {
    Status dropped = Status.UNAVAILABLE.withDescription("dropped by the test");
    streams.values().forEach(open -> List.copyOf(open).forEach(s -> close(s, dropped)));
  }

  // ---- what it saw ----

  /** True while the bot has a check stream open. */
  public boolean streamOpen(String agentId) {
    return !streams.getOrDefault(agentId, Set.of()).isEmpty();
  }

  /** Checks received from the bot, on all its streams. */
  public long checksReceived(String agentId) {
    AtomicLong count = received.get(agentId);
    return count == null ? 0 : count.get();
  }

  // ---- the service ----

  @Override
  public StreamObserver<StreamPermissionChecksRequest> streamPermissionChecks(
      StreamObserver<StreamPermissionChecksResponse> responses) {
    String agentId = VerifyingInterceptor.CALLER.get();
    var stream = (ServerCallStreamObserver<StreamPermissionChecksResponse>) responses;
    var open = streams.computeIfAbsent(agentId, a -> ConcurrentHashMap.newKeySet());
    open.add(stream);
    stream.setOnCancelHandler(() -> open.remove(stream));
    AtomicLong count = received.computeIfAbsent(agentId, a -> new AtomicLong());
    return new StreamObserver<>() {
      @Override
      public void onNext(StreamPermissionChecksRequest check) {
        count.incrementAndGet();
        if (silent) {
          return;
        }
        StreamPermissionChecksResponse answer = answer(agentId, check);
        synchronized (stream) {
          try {
            stream.onNext(answer);
          } catch (RuntimeException closed) {
            // the bot went away
          }
        }
      }

      @Override
      public void onError(Throwable error) {
        open.remove(stream);
      }

      @Override
      public void onCompleted() {
        open.remove(stream);
        synchronized (stream) {
          try {
            stream.onCompleted();
          } catch (RuntimeException ignored) {
            // already closed
          }
        }
      }
    };
  }

  private StreamPermissionChecksResponse answer(
      String agentId, StreamPermissionChecksRequest check) {
    var answer = StreamPermissionChecksResponse.newBuilder().setCheckId(check.getCheckId());
    List<CheckFieldError> errors = new ArrayList<>();
    if (check.getAction().isEmpty()) {
      errors.add(error("action", "is required"));
    }
    CheckContext context = check.getContext();
    BigDecimal size = decimal(context.getOrderSizeUsd(), false, "order_size_usd", errors);
    decimal(context.getPositionAfterUsd(), false, "position_after_usd", errors);
    decimal(context.getDeltaAfter(), true, "delta_after", errors);
    if (!errors.isEmpty()) {
      return answer.addAllErrors(errors).build();
    }
    return answer.setResult(decide(agentId, check.getAction(), size)).build();
  }

  private CheckPermissionResponse decide(String agentId, String action, BigDecimal size) {
    Set<String> actions = granted.get(agentId);
    if (actions == null) {
      return deny(DecisionRule.DECISION_RULE_UNKNOWN_BOT, "no permissions for " + agentId);
    }
    if (paused.contains(agentId)) {
      return deny(DecisionRule.DECISION_RULE_SUSPENDED_PAUSED, "the bot is paused");
    }
    if (!actions.contains(action)) {
      return deny(DecisionRule.DECISION_RULE_TIER, "the tier does not grant " + action);
    }
    BigDecimal max = maxOrderSize.get(agentId);
    if (max != null && action.equals("place_order")) {
      if (size == null) {
        return deny(
            DecisionRule.DECISION_RULE_MISSING_CONTEXT,
            "context.order_size_usd is required: max_order_size_usd applies");
      }
      if (size.compareTo(max) > 0) {
        return deny(
            DecisionRule.DECISION_RULE_MAX_ORDER_SIZE,
            "order "
                + size.toPlainString()
                + " USD exceeds max_order_size_usd "
                + max.toPlainString());
      }
    }
    return CheckPermissionResponse.newBuilder()
        .setAllowed(true)
        .setRule(DecisionRule.DECISION_RULE_ALLOWED)
        .setReason("allowed")
        .build();
  }

  private static CheckPermissionResponse deny(DecisionRule rule, String reason) {
    return CheckPermissionResponse.newBuilder().setRule(rule).setReason(reason).build();
  }

  private static BigDecimal decimal(
      String text, boolean signed, String field, List<CheckFieldError> errors) {
    if (text.isEmpty()) {
      return null;
    }
    try {
      BigDecimal value = new BigDecimal(text);
      if (!signed && value.signum() < 0) {
        errors.add(error("context." + field, "must not be negative, got " + text));
        return null;
      }
      return value;
    } catch (NumberFormatException e) {
      errors.add(error("context." + field, "not a decimal: " + text));
      return null;
    }
  }

  private static CheckFieldError error(String field, String description) {
    return CheckFieldError.newBuilder().setField(field).setDescription(description).build();
  }

  private static void close(
      ServerCallStreamObserver<StreamPermissionChecksResponse> stream, Status status) {
    FakeControlPlane.closeQuietly(stream, status);
  }
}
