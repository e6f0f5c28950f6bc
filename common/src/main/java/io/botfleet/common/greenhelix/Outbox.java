package io.botfleet.common.greenhelix;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.botfleet.common.config.GreenHelixConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.Map;
import java.util.UUID;

/**
 * Queues the GreenHelix calls a change implies, in the transaction of the change: the call is made
 * if and only if the change commits. The {@link OutboxRelay} delivers them, in order per agent,
 * retrying through outages.
 */
@ApplicationScoped
public class Outbox {

  @Inject EntityManager entityManager;
  @Inject ObjectMapper json;
  @Inject GreenHelixConfig config;

  /**
   * Queues a call.
   *
   * @param agentId the agent the call is for (the bot it concerns, or the fleet manager): calls for
   *     one agent are delivered in the order queued, and billed to it
   * @param tool the GreenHelix tool
   * @param input the tool's input
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void enqueue(String agentId, String tool, Map<String, ?> input) {
    if (!config.enabled()) {
      return;
    }
    entityManager
        .createNativeQuery(
            "insert into greenhelix_outbox (agent_id, tool, input, idempotency_key)"
                + " values (:agent, :tool, cast(:input as jsonb), :key)")
        .setParameter("agent", agentId)
        .setParameter("tool", tool)
        .setParameter("input", toJson(input))
        .setParameter("key", UUID.randomUUID())
        .executeUpdate();
  }

  private String toJson(Map<String, ?> input) {
    try {
      return json.writeValueAsString(input);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("GreenHelix input is not serializable to JSON", e);
    }
  }
}
