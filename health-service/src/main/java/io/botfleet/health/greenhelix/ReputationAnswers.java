package io.botfleet.health.greenhelix;

import com.fasterxml.jackson.databind.JsonNode;
import io.botfleet.common.greenhelix.OutboxAnswerHandler;
import io.botfleet.health.domain.SlaState;
import io.botfleet.health.persistence.SlaRepository;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;

/**
 * Keeps the reputation score GreenHelix answers to get_agent_reputation next to botfleet's own
 * reliability score (GetSlaReport shows both), and logs when the two disagree widely: one of them
 * sees something the other does not.
 */
@ApplicationScoped
public class ReputationAnswers implements OutboxAnswerHandler {

  /** Points of disagreement worth a log line. */
  static final double DISAGREEMENT = 20;

  @Inject SlaRepository sla;

  @Override
  public String tool() {
    return "get_agent_reputation";
  }

  @Override
  public void delivered(String agentId, JsonNode answer) {
    JsonNode score = answer == null ? null : answer.get("reputation_score");
    if (score == null || !score.isNumber()) {
      Log.warnf(
          "GreenHelix get_agent_reputation for %s answered without a reputation_score", agentId);
      return;
    }
    sla.saveReputation(agentId, score.asDouble(), Instant.now());
    SlaState state = sla.state(agentId);
    if (state.reliabilityScore() != null
        && Math.abs(state.reliabilityScore() - score.asDouble()) > DISAGREEMENT) {
      Log.warnf(
          "Reliability of %s: botfleet scores %.1f, GreenHelix's reputation is %.1f",
          agentId, state.reliabilityScore(), score.asDouble());
    }
  }
}
