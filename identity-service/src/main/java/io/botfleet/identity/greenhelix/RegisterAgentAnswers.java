package io.botfleet.identity.greenhelix;

import com.fasterxml.jackson.databind.JsonNode;
import io.botfleet.common.greenhelix.OutboxAnswerHandler;
import io.botfleet.identity.persistence.IdentityRepository;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Keeps the agent id GreenHelix gives a bot at register_agent (VerifyIdentity looks the bot up by
 * it), in the transaction that marks the call delivered. It updates that one column: the relay
 * takes no identity lock, and writing back a whole row loaded earlier would undo a revocation that
 * committed in between.
 */
@ApplicationScoped
public class RegisterAgentAnswers implements OutboxAnswerHandler {

  @Inject IdentityRepository identities;

  @Override
  public String tool() {
    return "register_agent";
  }

  @Override
  public void delivered(String agentId, JsonNode answer) {
    JsonNode id = answer == null ? null : answer.get("agent_id");
    if (id == null || !id.isTextual() || id.asText().isBlank()) {
      Log.warnf("GreenHelix register_agent for %s answered without an agent_id", agentId);
      return;
    }
    identities.setGreenhelixAgentId(agentId, id.asText());
  }
}
