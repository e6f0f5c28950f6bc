package io.botfleet.fleet.domain;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fleet.* event types: those of the guide (their payload fields as the guide writes them) and
 * those fleet-service and deploy-service add for their own actions. InitFleet creates a GreenHelix
 * event schema for each (create_event_schema); every fleet-service event is also published
 * (publish_event).
 */
public final class FleetEventTypes {

  /** The fleet manager was registered. */
  public static final String FLEET_INITIALIZED = "fleet.fleet_initialized";

  /** A bot joined the fleet. */
  public static final String BOT_REGISTERED = "fleet.bot_registered";

  /** A registration failed and what it had done was undone. */
  public static final String BOT_REGISTRATION_FAILED = "fleet.bot_registration_failed";

  /** A bot's status changed (connected, dead, recovered). */
  public static final String BOT_STATUS_CHANGED = "fleet.bot_status_changed";

  /** A command was issued to a scope. */
  public static final String COMMAND_ISSUED = "fleet.command_issued";

  /** A bot rejected a command or failed to carry it out. */
  public static final String COMMAND_FAILED = "fleet.command_failed";

  /** The guide's kill switch event. */
  public static final String EMERGENCY_STOP = "fleet.emergency_stop";

  /** A bot was told to shut down and leave. */
  public static final String BOT_DEREGISTERING = "fleet.bot_deregistering";

  /** A bot left: identity revoked, tracking stopped. */
  public static final String BOT_DEREGISTERED = "fleet.bot_deregistered";

  /** The guide's revocation event. */
  public static final String IDENTITY_REVOKED = "fleet.identity_revoked";

  /** The guide's failover event. */
  public static final String FAILOVER = "fleet.failover";

  /** A bot died in a group that fails over manually. */
  public static final String FAILOVER_NEEDED = "fleet.failover_needed";

  /** Automatic failover was not safe; the operator must decide. */
  public static final String FAILOVER_ESCALATED = "fleet.failover_escalated";

  /** A group's policy changed. */
  public static final String GROUP_POLICY_CHANGED = "fleet.group_policy_changed";

  /** A key rotation (scheduled, or an operator's RotateBotKey) began and the bot was told. */
  public static final String KEY_ROTATION_STARTED = "fleet.key_rotation_started";

  /**
   * A queued call to identity, permission or health failed: retried until it succeeds, or abandoned
   * if the callee refused it for good.
   */
  public static final String CALL_FAILED = "fleet.call_failed";

  private static final String S = "string";
  private static final String N = "number";
  private static final String I = "integer";
  private static final String B = "boolean";
  private static final String A = "array";
  private static final String O = "object";

  /** Every type with its payload fields and their JSON types. */
  private static final Map<String, Map<String, String>> FIELDS = new LinkedHashMap<>();

  static {
    // The guide's types (chapters 2 to 8).
    FIELDS.put(
        EMERGENCY_STOP, fields("reason", S, "bots_affected", I, "bot_ids", A, "timestamp", S));
    FIELDS.put(
        IDENTITY_REVOKED,
        fields(
            "revoked_agent_id", S,
            "bot_name", S,
            "reason", S,
            "revoked_at", S,
            "key_version_revoked", I));
    FIELDS.put(
        "fleet.permission_assigned",
        fields("target_agent_id", S, "bot_name", S, "tier", S, "exchange", S, "permissions", A));
    FIELDS.put(
        "fleet.permission_escalated",
        fields(
            "target_agent_id", S,
            "bot_name", S,
            "old_tier", S,
            "new_tier", S,
            "reason", S,
            "approved_by", S,
            "escalated_at", S));
    FIELDS.put("fleet.heartbeat", fields("agent_id", S, "metrics", O));
    FIELDS.put(
        "fleet.health_alert", fields("severity", S, "agent_id", S, "bot_name", S, "issues", A));
    FIELDS.put(
        "fleet.bot_dead",
        fields(
            "agent_id", S,
            "bot_name", S,
            "last_heartbeat", S,
            "seconds_since_heartbeat", N,
            "group", S));
    FIELDS.put(FAILOVER, fields("dead_bot", S, "replacement_bot", S, "group", S, "exchange", S));
    FIELDS.put(
        "fleet.deployment_started",
        fields(
            "deployment_id", S,
            "version", S,
            "group", S,
            "strategy", S,
            "canary_bot", S,
            "canary_bot_name", S));
    // deploy-service publishes these (its DeploymentTransitions): counts, with the bots' names in
    // bot_names, as fleet.command_issued has bots_affected and bot_ids.
    FIELDS.put(
        "fleet.deployment_complete",
        fields("deployment_id", S, "version", S, "group", S, "bots_deployed", I, "bot_names", A));
    FIELDS.put(
        "fleet.deployment_rolled_back",
        fields(
            "deployment_id",
            S,
            "version",
            S,
            "group",
            S,
            "bots_rolled_back",
            I,
            "bot_names",
            A,
            "reason",
            S));
    FIELDS.put(
        "fleet.deployment_rollback_started",
        fields("deployment_id", S, "version", S, "group", S, "reason", S, "bots", I));
    FIELDS.put(
        "fleet.deployment_paused",
        fields("deployment_id", S, "version", S, "group", S, "reason", S, "cause", S, "step", I));
    FIELDS.put(
        "fleet.deployment_resumed",
        fields("deployment_id", S, "version", S, "group", S, "step", I, "promoted", B));
    FIELDS.put(
        "fleet.deployment_aborted",
        fields("deployment_id", S, "version", S, "group", S, "reason", S, "bots_updated", I));
    FIELDS.put(
        "fleet.deployment_gate_failed",
        fields("deployment_id", S, "version", S, "group", S, "step", I, "reasons", A));
    FIELDS.put(
        "fleet.deployment_failed",
        fields("deployment_id", S, "version", S, "group", S, "reason", S));
    FIELDS.put(
        "fleet.sla_violation",
        fields("agent_id", S, "bot_name", S, "violations", A, "warnings", A, "timestamp", S));
    // fleet-service's own.
    FIELDS.put(
        FLEET_INITIALIZED,
        fields("fleet_manager_id", S, "fleet_manager_name", S, "organization", S));
    FIELDS.put(
        BOT_REGISTERED,
        fields("agent_id", S, "bot_name", S, "group", S, "exchange", S, "strategy", S, "tier", S));
    FIELDS.put(
        BOT_REGISTRATION_FAILED,
        fields("bot_name", S, "request_id", S, "failed_step", S, "reason", S));
    FIELDS.put(
        BOT_STATUS_CHANGED, fields("agent_id", S, "bot_name", S, "from", S, "to", S, "reason", S));
    FIELDS.put(
        COMMAND_ISSUED,
        fields("command_id", S, "command", S, "scope", O, "bots_affected", I, "bot_ids", A));
    FIELDS.put(
        COMMAND_FAILED,
        fields("command_id", S, "command", S, "agent_id", S, "state", S, "message", S));
    FIELDS.put(
        BOT_DEREGISTERING,
        fields("agent_id", S, "bot_name", S, "command_id", S, "grace_period_seconds", I));
    FIELDS.put(BOT_DEREGISTERED, fields("agent_id", S, "bot_name", S, "reason", S));
    FIELDS.put(FAILOVER_NEEDED, fields("dead_bot", S, "bot_name", S, "group", S, "exchange", S));
    FIELDS.put(
        FAILOVER_ESCALATED,
        fields("dead_bot", S, "bot_name", S, "group", S, "reason", S, "dead_bots", I));
    FIELDS.put(
        GROUP_POLICY_CHANGED,
        fields("group", S, "failover_mode", S, "stateful", B, "min_healthy_share", N));
    FIELDS.put(
        KEY_ROTATION_STARTED,
        fields("agent_id", S, "bot_name", S, "rotation_id", S, "key_version", I, "deadline", S));
    FIELDS.put(CALL_FAILED, fields("lane", S, "call", S, "error", S, "will_retry", B));
  }

  private FleetEventTypes() {}

  /** Every event type, the guide's first. */
  public static List<String> all() {
    return List.copyOf(FIELDS.keySet());
  }

  /** The JSON schema of a type's payload, as given to create_event_schema. */
  public static Map<String, Object> schema(String type) {
    Map<String, String> fields = FIELDS.get(type);
    if (fields == null) {
      throw new IllegalArgumentException("unknown event type " + type);
    }
    Map<String, Object> properties = new LinkedHashMap<>();
    fields.forEach((name, jsonType) -> properties.put(name, Map.of("type", jsonType)));
    Map<String, Object> schema = new LinkedHashMap<>();
    schema.put("type", "object");
    schema.put("properties", properties);
    schema.put("required", List.copyOf(fields.keySet()));
    return schema;
  }

  private static Map<String, String> fields(String... namesAndTypes) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (int i = 0; i < namesAndTypes.length; i += 2) {
      fields.put(namesAndTypes[i], namesAndTypes[i + 1]);
    }
    return fields;
  }
}
