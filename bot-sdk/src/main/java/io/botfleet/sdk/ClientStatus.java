package io.botfleet.sdk;

import java.time.Instant;
import java.util.List;

/**
 * A snapshot of a client's connection to the control plane, for the bot's own status page.
 *
 * @param agentId the bot's agent id (null before enrollment)
 * @param keyVersion the key version signing now (0 before enrollment)
 * @param state where the client is in its life
 * @param heartbeatStreamUp the heartbeat stream is open
 * @param commandStreamUp the command stream is open
 * @param safeMode the dead-man's switch has fired and contact is not back yet
 * @param safeModeEpisodes how often it fired since start
 * @param healthStatus health-service's evaluation of the last heartbeat answered ({@code HEALTHY},
 *     {@code WARNING}, {@code CRITICAL} …), or null before the first answer
 * @param issues the issues of that evaluation, e.g. {@code high_drawdown:12.0%}
 * @param lastAnswerTime when the last heartbeat answer arrived, or null
 * @param lastCommandSequence the highest command sequence received
 * @param reconnects stream reconnections since start
 * @param fillsBuffered fills recorded and not yet booked by billing-service
 */
public record ClientStatus(
    String agentId,
    int keyVersion,
    State state,
    boolean heartbeatStreamUp,
    boolean commandStreamUp,
    boolean safeMode,
    int safeModeEpisodes,
    String healthStatus,
    List<String> issues,
    Instant lastAnswerTime,
    long lastCommandSequence,
    long reconnects,
    int fillsBuffered) {

  /** Where a client is in its life. */
  public enum State {
    /** Built, not started. */
    NEW,
    /** Started: streams kept up. */
    RUNNING,
    /** Closed by the bot, by a shutdown command, or aborted. */
    CLOSED,
    /** Its keys were destroyed by an emergency stop: closed for good. */
    KEYS_DESTROYED
  }

  /** Copies the list. */
  public ClientStatus {
    issues = issues == null ? List.of() : List.copyOf(issues);
  }
}
