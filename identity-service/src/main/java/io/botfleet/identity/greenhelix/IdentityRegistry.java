package io.botfleet.identity.greenhelix;

import com.fasterxml.jackson.databind.JsonNode;
import io.botfleet.common.error.BotfleetException;
import io.botfleet.common.greenhelix.GreenHelixClient;
import io.botfleet.common.greenhelix.GreenHelixException;
import io.botfleet.common.greenhelix.Outbox;
import io.botfleet.identity.persistence.IdentityEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The GreenHelix calls identity-service owns (docs/greenhelix.md). Changes queue theirs in the
 * outbox, in the transaction of the change; only the registry lookup of VerifyIdentity is direct,
 * because its answer is needed now. Only bots are registered with GreenHelix.
 */
@ApplicationScoped
public class IdentityRegistry {

  @Inject Outbox outbox;
  @Inject GreenHelixClient client;

  /** True if GreenHelix is enabled in this installation. */
  public boolean enabled() {
    return client.enabled();
  }

  /** Queues the guide's register_agent for a bot that has its public key. */
  public void registerAgent(IdentityEntity bot, String publicKeyBase64) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("role", bot.role);
    metadata.put("organization", bot.organization);
    putIfPresent(metadata, "fleet_manager", bot.fleetManager);
    putIfPresent(metadata, "group", bot.group);
    putIfPresent(metadata, "exchange", bot.exchange);
    putIfPresent(metadata, "strategy", bot.strategy);
    putIfPresent(metadata, "version", bot.version);
    if (bot.maxPositionUsd != null) {
      metadata.put("max_position_usd", bot.maxPositionUsd);
    }
    metadata.put("public_key", publicKeyBase64);
    metadata.put("key_algorithm", "ed25519");
    metadata.put("registered_at", bot.createdAt.toInstant().toString());
    String description =
        bot.description != null
            ? bot.description
            : "Trading bot: "
                + dash(bot.strategy)
                + " on "
                + dash(bot.exchange)
                + ". Part of "
                + dash(bot.group)
                + " group in "
                + bot.organization
                + " fleet.";
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("name", bot.name);
    input.put("description", description);
    input.put("capabilities", bot.capabilities);
    input.put("metadata", metadata);
    outbox.enqueue(bot.id, "register_agent", input);
  }

  /** Queues the guide's rotation metrics: key_rotation, key_version, rotation_timestamp. */
  public void submitRotationMetrics(IdentityEntity bot, int keyVersion, Instant at) {
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("key_rotation", 1);
    metrics.put("key_version", keyVersion);
    metrics.put("rotation_timestamp", at.toString());
    outbox.enqueue(bot.id, "submit_metrics", Map.of("agent_id", bot.id, "metrics", metrics));
  }

  /**
   * Queues publish_event for an identity event of a bot. The publisher is the bot's fleet manager
   * when it has one, as in the guide; the call is queued (and billed) under the bot, in order with
   * its other calls.
   */
  public void publishEvent(IdentityEntity bot, String eventType, Map<String, ?> payload) {
    String publisher = bot.fleetManager != null ? bot.fleetManager : bot.id;
    outbox.enqueue(
        bot.id,
        "publish_event",
        Map.of("agent_id", publisher, "event_type", eventType, "payload", payload));
  }

  /**
   * The public key GreenHelix holds for an agent (get_agent_identity), read where the guide reads
   * it ({@code metadata.public_key}, else {@code public_key}): empty if GreenHelix does not know
   * the agent, an empty string if it knows it without a key.
   *
   * @throws BotfleetException UNAVAILABLE if GreenHelix cannot be reached or fails
   */
  public Optional<String> registeredKey(String greenhelixAgentId) {
    JsonNode answer;
    try {
      answer = client.call("get_agent_identity", Map.of("agent_id", greenhelixAgentId));
    } catch (GreenHelixException e) {
      if (e.status() == 404) {
        return Optional.empty();
      }
      throw BotfleetException.unavailable(
          "GREENHELIX_UNAVAILABLE", "GreenHelix get_agent_identity failed: " + e.getMessage());
    }
    if (answer == null || answer.has("error") && !answer.has("agent_id")) {
      return Optional.empty();
    }
    JsonNode key = answer.path("metadata").path("public_key");
    if (!key.isTextual()) {
      key = answer.path("public_key");
    }
    return Optional.of(key.isTextual() ? key.asText() : "");
  }

  private static void putIfPresent(Map<String, Object> map, String key, String value) {
    if (value != null) {
      map.put(key, value);
    }
  }

  private static String dash(String value) {
    return value == null ? "-" : value;
  }
}
