package io.botfleet.permission.greenhelix;

import io.botfleet.common.greenhelix.Outbox;
import io.botfleet.permission.domain.Actions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The GreenHelix calls permission-service owns, queued in the outbox in the transaction of the
 * change: the guide's permission facts ({@code submit_metrics}) and the audit trail ({@code
 * publish_event}).
 */
@ApplicationScoped
public class PermissionAnnouncements {

  @Inject Outbox outbox;

  /**
   * The guide's permission metrics of a bot: permission_tier, permission_count, exchange,
   * has_withdraw, has_admin.
   *
   * @param permissions what the bot holds now (its tier's permissions minus denied actions)
   */
  public void permissionFacts(
      String agentId, String tier, Collection<String> permissions, String exchange) {
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("permission_tier", tier);
    metrics.put("permission_count", permissions.size());
    metrics.put("exchange", exchange);
    metrics.put("has_withdraw", permissions.contains(Actions.WITHDRAW_FUNDS));
    metrics.put("has_admin", permissions.contains(Actions.MODIFY_API_KEYS));
    outbox.enqueue(agentId, "submit_metrics", Map.of("agent_id", agentId, "metrics", metrics));
  }

  /** Publishes an event of the audit trail for {@code agentId} (the bot, or the actor). */
  public void event(String agentId, String type, Map<String, ?> payload) {
    outbox.enqueue(
        agentId,
        "publish_event",
        Map.of("agent_id", agentId, "event_type", type, "payload", payload));
  }
}
