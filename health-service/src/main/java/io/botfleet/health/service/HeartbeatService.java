package io.botfleet.health.service;

import io.botfleet.common.error.BotfleetException;
import io.botfleet.health.config.HealthConfig;
import io.botfleet.health.domain.BotState;
import io.botfleet.health.domain.Evaluation;
import io.botfleet.health.domain.FieldError;
import io.botfleet.health.domain.HealthEvaluator;
import io.botfleet.health.domain.HealthPolicy;
import io.botfleet.health.domain.HealthStatus;
import io.botfleet.health.domain.Heartbeat;
import io.botfleet.health.domain.HeartbeatCheck;
import io.botfleet.health.domain.HeartbeatOutcome;
import io.botfleet.health.persistence.HeartbeatRow;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The heartbeat path. Checks a heartbeat, evaluates it in memory against the bot's group policy,
 * applies it to the bot's live state and hands it to the writer; the answer is ready when the
 * writer's transaction holding it has committed. Nothing here blocks or touches the database, so it
 * runs on the gRPC event loop.
 */
@ApplicationScoped
public class HeartbeatService {

  @Inject BotRegistry registry;
  @Inject PolicyCache policies;
  @Inject HeartbeatWriter writer;
  @Inject DeadBotSweeper sweeper;
  @Inject HealthConfig config;

  private final Clock clock = Clock.systemUTC();

  /**
   * Takes one heartbeat of {@code botId}. A malformed one is answered at once, refused, with every
   * field at fault, and changes nothing.
   *
   * @throws BotfleetException FAILED_PRECONDITION BOT_NOT_TRACKED if fleet-service has not
   *     registered the bot; UNAVAILABLE HEALTH_OVERLOADED if the writer is too far behind
   */
  public CompletionStage<HeartbeatAnswer> accept(String botId, Heartbeat heartbeat) {
    Instant now = clock.instant();
    BotState state =
        registry
            .find(botId)
            .orElseThrow(
                () ->
                    BotfleetException.failedPrecondition(
                        "BOT_NOT_TRACKED",
                        "bot " + botId + " is not registered with the fleet (or was deregistered)",
                        Map.of("bot_id", botId)));
    HealthPolicy policy = policies.of(state.bot().group());
    List<FieldError> problems = HeartbeatCheck.problems(heartbeat, now);
    if (!problems.isEmpty()) {
      return CompletableFuture.completedFuture(refused(heartbeat, state, policy, now, problems));
    }
    Evaluation evaluation = HealthEvaluator.evaluate(heartbeat, policy);
    if (!writer.reserve()) {
      throw BotfleetException.unavailable(
          "HEALTH_OVERLOADED", "health-service is behind on writing heartbeats; retry shortly");
    }
    HeartbeatOutcome outcome;
    WriteItem item = null;
    // The state change and the queueing are one step per bot, so the writer sees a bot's
    // heartbeats in the order they changed its state.
    synchronized (state) {
      HealthStatus before = state.status();
      outcome =
          state.heartbeat(
              heartbeat,
              evaluation,
              now,
              new BotState.Liveness(sweeper.graceStart(), policy.deadAfter().orElseThrow()),
              config.metricsInterval(),
              config.webhooks().heartbeatSampleInterval());
      if (outcome.kind() == HeartbeatOutcome.Kind.ACCEPTED) {
        item =
            new WriteItem(
                new HeartbeatRow(botId, now, heartbeat, evaluation.status(), evaluation.texts()),
                outcome.snapshot(),
                outcome.events(),
                botId,
                outcome.sampleMetrics(),
                outcome.sampleWebhook(),
                new CompletableFuture<>());
        writer.submit(item);
        if (before == HealthStatus.DEAD) {
          sweeper.watch(botId);
        }
      }
    }
    Instant deadline = now.plus(policy.deadAfter().orElseThrow());
    if (item == null) {
      writer.release(1);
      if (outcome.kind() == HeartbeatOutcome.Kind.DUPLICATE) {
        return CompletableFuture.completedFuture(
            new HeartbeatAnswer(
                heartbeat.sequence(),
                true,
                outcome.status(),
                outcome.issues(),
                List.of(),
                deadline));
      }
      return CompletableFuture.completedFuture(
          refused(
              heartbeat,
              state,
              policy,
              now,
              List.of(
                  new FieldError(
                      "sequence",
                      "is behind the last accepted heartbeat and its sample time is not newer"
                          + " (a bot that restarts starts again at 1 with a new heartbeat_time)"))));
    }
    HeartbeatOutcome accepted = outcome;
    return item.done()
        .thenApply(
            done ->
                new HeartbeatAnswer(
                    heartbeat.sequence(),
                    true,
                    accepted.status(),
                    accepted.issues(),
                    List.of(),
                    deadline));
  }

  private HeartbeatAnswer refused(
      Heartbeat heartbeat,
      BotState state,
      HealthPolicy policy,
      Instant now,
      List<FieldError> problems) {
    Instant last = state.lastHeartbeatAt();
    Instant deadline =
        (last == null ? state.bot().trackedAt() : last).plus(policy.deadAfter().orElseThrow());
    return new HeartbeatAnswer(
        heartbeat.sequence(), false, state.status(), List.of(), problems, deadline);
  }
}
