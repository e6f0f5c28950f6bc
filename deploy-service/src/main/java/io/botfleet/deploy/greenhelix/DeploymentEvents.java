package io.botfleet.deploy.greenhelix;

import io.botfleet.common.auth.ServiceCredentials;
import io.botfleet.common.events.EventLog;
import io.botfleet.common.greenhelix.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.Map;

/**
 * The deployment events (fleet.deployment_*): appended to the audit log and queued for GreenHelix
 * {@code publish_event} in the transaction of the change they record, so a change and its event
 * commit or vanish together, and GreenHelix receives the event even through an outage.
 */
@ApplicationScoped
public class DeploymentEvents {

  /** The guide's: {deployment_id, version, group, strategy, canary_bot, canary_bot_name}. */
  public static final String STARTED = "fleet.deployment_started";

  /** The guide's: {deployment_id, version, group, bots_deployed}. */
  public static final String COMPLETE = "fleet.deployment_complete";

  /** The guide's: {deployment_id, version, group, bots_rolled_back}. */
  public static final String ROLLED_BACK = "fleet.deployment_rolled_back";

  /** A rollback started (automatically after a failure, or by an operator). */
  public static final String ROLLBACK_STARTED = "fleet.deployment_rollback_started";

  /** Paused (operator, missed deadline, inconclusive analysis, waiting for promotion). */
  public static final String PAUSED = "fleet.deployment_paused";

  /** Resumed or promoted by an operator. */
  public static final String RESUMED = "fleet.deployment_resumed";

  /** Aborted: stopped where it was. */
  public static final String ABORTED = "fleet.deployment_aborted";

  /** An analysis failed. */
  public static final String GATE_FAILED = "fleet.deployment_gate_failed";

  /** Could not go on nor roll back cleanly: needs a human. */
  public static final String FAILED = "fleet.deployment_failed";

  @Inject EventLog eventLog;
  @Inject Outbox outbox;
  @Inject ServiceCredentials credentials;

  /**
   * Records an event and queues its publication.
   *
   * @param type one of the constants
   * @param actor who caused it (an operator's agent id, or {@link EventLog#SYSTEM})
   * @param payload its fields
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void publish(String type, String actor, Map<String, ?> payload) {
    eventLog.append(type, null, actor, payload);
    // Deployment events concern a group, not one bot: they go out as deploy-service's own.
    String agent = credentials.agentId();
    outbox.enqueue(
        agent, "publish_event", Map.of("agent_id", agent, "event_type", type, "payload", payload));
  }
}
