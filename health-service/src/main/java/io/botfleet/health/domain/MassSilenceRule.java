package io.botfleet.health.domain;

/**
 * Tells "the bots are gone" from "we (or the network) are gone": when more than {@code share} of
 * the watched bots are silent at once (and at least {@code minBots}), it is a mass silence, raised
 * as one fleet-level alert instead of a bot_dead event per bot. It ends once the silent share is
 * back under half the trigger (hysteresis, so it does not flap at the edge).
 *
 * @param share the share of the watched bots, 0 to 1 (default 0.2)
 * @param minBots the fewest silent bots that can make one (default 3)
 */
public record MassSilenceRule(double share, int minBots) {

  /** True if {@code silent} of {@code watched} bots make a mass silence. */
  public boolean starts(int silent, int watched) {
    return silent >= minBots && silent > share * watched;
  }

  /** True if a mass silence with {@code silent} of {@code watched} bots still silent is over. */
  public boolean ends(int silent, int watched) {
    return silent < minBots || silent <= share * watched / 2;
  }

  /**
   * True if a bot last heard of (or tracked, or given grace) at {@code lastContact} counts as
   * silent at {@code now}: quiet for at least half its threshold. In a partition every bot passes
   * this mark before the first one reaches its deadline, so the first deadline already sees the
   * mass.
   */
  public static boolean silent(long lastContact, long now, long deadAfterMillis) {
    return now - lastContact >= deadAfterMillis / 2;
  }
}
