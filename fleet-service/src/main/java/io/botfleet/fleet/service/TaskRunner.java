package io.botfleet.fleet.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.botfleet.fleet.client.HealthClient;
import io.botfleet.fleet.client.IdentityClient;
import io.botfleet.fleet.client.PermissionClient;
import io.botfleet.fleet.domain.Control;
import io.botfleet.fleet.domain.FleetEventTypes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Makes one queued call: what each kind of task means. */
@ApplicationScoped
public class TaskRunner {

  /** permission: SuspendBot {bot_ids, mode, reason, command_id}. */
  public static final String SUSPEND = "suspend";

  /** permission: UnsuspendBot (pauses only) {bot_ids, reason, command_id}. */
  public static final String UNSUSPEND_PAUSED = "unsuspend_paused";

  /** permission: RemovePermissions {bot_id, reason}. */
  public static final String REMOVE_PERMISSIONS = "remove_permissions";

  /**
   * identity: RevokeIdentity {bot_id, bot_name, reason, audit_reason}; records
   * fleet.identity_revoked with the key version revoked.
   */
  public static final String REVOKE_IDENTITY = "revoke_identity";

  /** health: TrackBot {bot_id, name, group, exchange, strategy, standby}. */
  public static final String TRACK = "track";

  /** health: UntrackBot {bot_id}. */
  public static final String UNTRACK = "untrack";

  @Inject IdentityClient identity;
  @Inject PermissionClient permission;
  @Inject HealthClient health;
  @Inject FleetEvents events;
  @Inject ObjectMapper json;

  /** Makes the call; a {@code BotfleetException} says why it failed. */
  void run(String kind, String inputJson) {
    JsonNode input;
    try {
      input = json.readTree(inputJson);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable task input", e);
    }
    switch (kind) {
      case SUSPEND ->
          permission.suspend(
              ids(input),
              Control.valueOf(input.path("mode").asText()),
              input.path("reason").asText(),
              input.path("command_id").asText());
      case UNSUSPEND_PAUSED ->
          permission.unsuspendPaused(
              ids(input), input.path("reason").asText(), input.path("command_id").asText());
      case REMOVE_PERMISSIONS ->
          permission.remove(input.path("bot_id").asText(), input.path("reason").asText());
      case REVOKE_IDENTITY -> {
        String botId = input.path("bot_id").asText();
        int keyVersion = identity.revoke(botId, input.path("reason").asText());
        if (input.path("audit").asBoolean(false)) {
          Map<String, Object> payload = new LinkedHashMap<>();
          payload.put("revoked_agent_id", botId);
          payload.put("bot_name", input.path("bot_name").asText());
          payload.put("reason", input.path("audit_reason").asText());
          payload.put("revoked_at", Instant.now().toString());
          payload.put("key_version_revoked", keyVersion);
          events.record(
              FleetEventTypes.IDENTITY_REVOKED, botId, input.path("actor").asText(), payload);
        }
      }
      case TRACK ->
          health.track(
              input.path("bot_id").asText(),
              input.path("name").asText(),
              input.path("group").asText(),
              input.path("exchange").asText(),
              input.path("strategy").asText(),
              input.path("standby").asBoolean());
      case UNTRACK -> health.untrack(input.path("bot_id").asText());
      default -> throw new IllegalStateException("unknown task kind " + kind);
    }
  }

  private static List<String> ids(JsonNode input) {
    List<String> ids = new ArrayList<>();
    input.path("bot_ids").forEach(id -> ids.add(id.asText()));
    return ids;
  }
}
