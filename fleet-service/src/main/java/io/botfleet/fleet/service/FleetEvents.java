package io.botfleet.fleet.service;

import io.botfleet.common.auth.Caller;
import io.botfleet.common.auth.ServiceCredentials;
import io.botfleet.common.events.EventLog;
import io.botfleet.common.greenhelix.Outbox;
import io.botfleet.fleet.persistence.FleetEntity;
import io.botfleet.fleet.persistence.FleetRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * fleet-service's audit trail: every action is an event in its own log, in the transaction of the
 * action, and mirrored to GreenHelix (publish_event by the fleet manager) through the outbox.
 */
@ApplicationScoped
public class FleetEvents {

  @Inject EventLog eventLog;
  @Inject Outbox outbox;
  @Inject FleetRepository fleets;
  @Inject ServiceCredentials credentials;

  private volatile FleetEntity fleet;

  /** Records an event caused by the current caller (or "system" outside a call). */
  @Transactional(Transactional.TxType.MANDATORY)
  public void record(String type, String botId, Map<String, ?> payload) {
    record(type, botId, actor(), payload);
  }

  /** Records an event with an explicit actor. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void record(String type, String botId, String actor, Map<String, ?> payload) {
    eventLog.append(type, botId, actor, payload);
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("agent_id", fleetManagerId());
    input.put("event_type", type);
    input.put("payload", payload);
    outbox.enqueue(fleetManagerId(), "publish_event", input);
  }

  /** Who is acting: the caller, or "system" for what fleet-service does on its own. */
  public static String actor() {
    String caller = Caller.agentIdOrAnonymous();
    return "anonymous".equals(caller) ? EventLog.SYSTEM : caller;
  }

  /** The fleet, once InitFleet made it. */
  public Optional<FleetEntity> fleet() {
    FleetEntity known = fleet;
    if (known == null) {
      known = fleets.findFleet().orElse(null);
      fleet = known;
    }
    return Optional.ofNullable(known);
  }

  /** The fleet manager's agent id; fleet-service's own before InitFleet. */
  public String fleetManagerId() {
    return fleet().map(f -> f.fleetManagerId).orElse(credentials.agentId());
  }

  /** Forgets the cached fleet (after InitFleet). */
  void refresh() {
    fleet = null;
  }
}
