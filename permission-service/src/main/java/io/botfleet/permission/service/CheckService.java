package io.botfleet.permission.service;

import io.botfleet.common.error.BotfleetException;
import io.botfleet.permission.domain.CheckContext;
import io.botfleet.permission.domain.Decision;
import io.botfleet.permission.domain.DecisionRule;
import io.botfleet.permission.domain.PermissionDecider;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Permission checks: the pure decision over the in-memory view, never a database read. Each
 * decision's own time is recorded ({@code botfleet_permission_decision_seconds}, with p50, p99 and
 * p99.9) and every outcome counted by the rule that decided ({@code
 * botfleet_permission_checks_total}), so operators see denials by cause.
 */
@Startup
@ApplicationScoped
public class CheckService {

  @Inject PermissionView view;
  @Inject TierService tiers;
  @Inject MeterRegistry registry;

  private PermissionDecider decider;
  private Timer decisionTime;
  private final Map<DecisionRule, Counter> outcomes = new EnumMap<>(DecisionRule.class);

  @PostConstruct
  void init() {
    decider = PermissionDecider.of(tiers.catalog());
    decisionTime =
        Timer.builder("botfleet.permission.decision")
            .description("Time of one permission decision inside the service")
            .publishPercentiles(0.5, 0.99, 0.999)
            .register(registry);
    for (DecisionRule rule : DecisionRule.values()) {
      outcomes.put(
          rule,
          Counter.builder("botfleet.permission.checks")
              .description("Permission checks by the rule that decided")
              .tag("rule", rule.name().toLowerCase())
              .register(registry));
    }
  }

  /** Decides whether a bot may do an action in a context. */
  public Decision check(String agentId, String action, CheckContext context) {
    if (!view.loaded()) {
      throw BotfleetException.unavailable(
          "PERMISSIONS_LOADING", "permissions are still loading; retry shortly");
    }
    long start = System.nanoTime();
    Decision decision = decider.decide(view.find(agentId), action, context, Instant.now());
    decisionTime.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    outcomes.get(decision.rule()).increment();
    return decision;
  }
}
