package io.botfleet.sdk;

/**
 * The dead-man's switch, seen from the bot. When the client has been without the control plane for
 * longer than its {@linkplain BotfleetClientBuilder#deadManAfter dead-man time} (no heartbeat
 * answer, or the command stream down), nobody can pause or stop the bot any more, so it must stop
 * opening positions, as an exchange's cancel-on-disconnect would. Required: a bot without it has no
 * dead-man's switch.
 *
 * <p>Both methods run on the SDK's urgent lane, the one emergency stops use, so they never wait
 * behind a long command.
 */
public interface SafeModeListener {

  /**
   * The control plane is lost: stop opening new positions now. Whether to also cancel resting
   * orders or hedge is the bot's policy.
   */
  void enterSafeMode(SafeModeEpisode episode);

  /**
   * Contact is back (heartbeats answered and the command stream open again). Commands queued
   * meanwhile (a pause, a stop) arrive right after this; the bot decides whether to trade again.
   * The episode is also reported to the control plane (see {@link BotfleetClient}).
   */
  void exitSafeMode(SafeModeEpisode episode);
}
