package io.botfleet.common.greenhelix;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Receives GreenHelix's answers to one tool's calls delivered from the outbox (for example the
 * {@code agent_id} that register_agent returns). A service implements it as a CDI bean; the relay
 * calls it in the transaction that marks the call delivered.
 */
public interface OutboxAnswerHandler {

  /** The tool whose answers this handler wants, e.g. {@code register_agent}. */
  String tool();

  /**
   * One delivered call's answer.
   *
   * @param agentId the agent the call was queued for ({@code Outbox.enqueue}'s first argument)
   * @param answer GreenHelix's JSON answer (may be null or empty if it sent none)
   */
  void delivered(String agentId, JsonNode answer);
}
