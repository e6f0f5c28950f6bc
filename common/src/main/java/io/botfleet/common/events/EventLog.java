package io.botfleet.common.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.botfleet.common.auth.Caller;
import io.botfleet.common.auth.Principal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The service's audit trail: appends an event to its own {@code events} table in the transaction of
 * the change it records, so a change and its event commit or vanish together.
 *
 * <p>An event caused by an operator through a service acting for it (fleet-service's REST gateway,
 * {@link Caller#via()}) has the operator as its actor and the service's agent id as {@code via} in
 * its payload: "op-alice via svc-fleet".
 */
@ApplicationScoped
public class EventLog {

  /** Actor of changes the service makes on its own (sweeps, schedules, state machines). */
  public static final String SYSTEM = "system";

  /** Payload field naming the service an operator acted through, on a delegated call. */
  public static final String VIA = "via";

  @Inject EntityManager entityManager;
  @Inject ObjectMapper json;

  /**
   * Appends an event caused by the current caller.
   *
   * @param type the guide's event type, e.g. {@code fleet.permission_assigned}
   * @param agentId the agent it is about, or null for fleet-wide events
   * @param payload the guide's fields for the type
   * @return the event id
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public UUID append(String type, String agentId, Map<String, ?> payload) {
    return append(type, agentId, Caller.agentIdOrAnonymous(), payload);
  }

  /** Appends an event with an explicit actor (e.g. {@link #SYSTEM}). */
  @Transactional(Transactional.TxType.MANDATORY)
  public UUID append(String type, String agentId, String actor, Map<String, ?> payload) {
    UUID id = UUID.randomUUID();
    Optional<Principal> via = Caller.via();
    if (via.isPresent() && actor.equals(Caller.agentIdOrAnonymous())) {
      Map<String, Object> withVia = new LinkedHashMap<>(payload);
      withVia.put(VIA, via.get().agentId());
      payload = withVia;
    }
    entityManager
        .createNativeQuery(
            "insert into events (id, type, agent_id, actor, payload)"
                + " values (:id, :type, :agent, :actor, cast(:payload as jsonb))")
        .setParameter("id", id)
        .setParameter("type", type)
        .setParameter("agent", agentId)
        .setParameter("actor", actor)
        .setParameter("payload", toJson(payload))
        .executeUpdate();
    return id;
  }

  private String toJson(Map<String, ?> payload) {
    try {
      return json.writeValueAsString(payload);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("event payload is not serializable to JSON", e);
    }
  }
}
