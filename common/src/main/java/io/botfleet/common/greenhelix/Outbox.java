package io.botfleet.common.greenhelix;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.botfleet.common.config.GreenHelixConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.Session;

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

  /**
   * One call of {@link #enqueueAll}.
   *
   * @param agentId the agent the call is for
   * @param input the tool's input
   */
  public record Call(String agentId, Map<String, ?> input) {}

  /**
   * Queues many calls of one tool in one statement (e.g. a send_message to each of 10,000 bots), in
   * list order: same guarantees as {@link #enqueue} for each.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void enqueueAll(String tool, List<Call> calls) {
    if (!config.enabled() || calls.isEmpty()) {
      return;
    }
    String[] agents = new String[calls.size()];
    String[] inputs = new String[calls.size()];
    UUID[] keys = new UUID[calls.size()];
    for (int i = 0; i < calls.size(); i++) {
      agents[i] = calls.get(i).agentId();
      inputs[i] = toJson(calls.get(i).input());
      keys[i] = UUID.randomUUID();
    }
    Session session = entityManager.unwrap(Session.class);
    session.flush();
    session.doWork(
        connection -> {
          try (PreparedStatement insert =
              connection.prepareStatement(
                  "insert into greenhelix_outbox (agent_id, tool, input, idempotency_key)"
                      + " select a, ?, cast(i as jsonb), k from unnest(?::text[], ?::text[],"
                      + " ?::uuid[]) with ordinality as u(a, i, k, n) order by n")) {
            insert.setString(1, tool);
            insert.setArray(2, connection.createArrayOf("text", agents));
            insert.setArray(3, connection.createArrayOf("text", inputs));
            insert.setArray(4, connection.createArrayOf("uuid", keys));
            insert.executeUpdate();
          }
        });
  }

  private String toJson(Map<String, ?> input) {
    try {
      return json.writeValueAsString(input);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("GreenHelix input is not serializable to JSON", e);
    }
  }
}
