package io.botfleet.fleet.domain;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What to do when health-service declares a bot dead (end of chapter 5): a network partition looks
 * exactly like a dead bot, so failing over by itself is allowed only where the operator enabled it,
 * and only while most of the fleet is alive; many bots dying at once means our side or the network
 * is broken, and the operator must decide.
 *
 * @param outcome what to do
 * @param reason why, for the audit trail and the operator
 * @param replacement the standby to fail over to (FAIL_OVER only)
 */
public record FailoverDecision(Outcome outcome, String reason, Optional<Bot> replacement) {

  /** What to do. */
  public enum Outcome {
    /** Nothing to take over: the bot was not trading (paused, stopped, a standby). */
    NONE,
    /** The group's policy is manual: tell the operator, who calls InitiateFailover. */
    MANUAL,
    /** Automatic policy, but it is not safe now: escalate to the operator. */
    ESCALATE,
    /** Fail over to {@link #replacement()}. */
    FAIL_OVER
  }

  /**
   * The fleet as far as the decision needs it.
   *
   * @param considered bots that count for the healthy share (active, paused, stopped or dead)
   * @param dead bots dead now, the new one included
   * @param massSilence health-service reports a mass silence
   */
  public record FleetHealth(int considered, int dead, boolean massSilence) {

    /** Share of the considered bots that are alive. */
    public double healthyShare() {
      return considered == 0 ? 0 : (double) (considered - dead) / considered;
    }
  }

  /**
   * Decides.
   *
   * @param dead the bot declared dead
   * @param policy its group's policy
   * @param fleet the fleet's health now
   * @param standbys connected dormant standbys of the bot's group
   */
  public static FailoverDecision decide(
      Bot dead, GroupPolicy policy, FleetHealth fleet, List<Bot> standbys) {
    if (dead.control() != Control.ACTIVE || dead.standby()) {
      return new FailoverDecision(
          Outcome.NONE,
          "the bot was "
              + dead.control().name().toLowerCase(Locale.ROOT)
              + ": nothing to take over",
          Optional.empty());
    }
    if (policy.failoverMode() == FailoverMode.MANUAL) {
      return new FailoverDecision(
          Outcome.MANUAL,
          "group " + dead.group() + " fails over manually: call InitiateFailover",
          Optional.empty());
    }
    if (fleet.massSilence()) {
      return new FailoverDecision(
          Outcome.ESCALATE,
          "mass_silence: health-service sees much of the fleet silent at once (a partition or our"
              + " own outage looks like dead bots); no automatic failover",
          Optional.empty());
    }
    if (fleet.healthyShare() < policy.minHealthyShare()) {
      return new FailoverDecision(
          Outcome.ESCALATE,
          String.format(
              Locale.ROOT,
              "too_many_dead: %d of %d bots are dead (%.0f%% alive, policy needs %.0f%%); no"
                  + " automatic failover",
              fleet.dead(),
              fleet.considered(),
              fleet.healthyShare() * 100,
              policy.minHealthyShare() * 100),
          Optional.empty());
    }
    Optional<Bot> standby =
        standbys.stream()
            .filter(s -> s.group().equals(dead.group()) && s.status() == BotStatus.STANDBY)
            .min(
                Comparator.comparing((Bot s) -> !s.exchange().equals(dead.exchange()))
                    .thenComparing(Bot::name));
    if (standby.isEmpty()) {
      return new FailoverDecision(
          Outcome.ESCALATE,
          "no_standby: group " + dead.group() + " has no connected dormant standby",
          Optional.empty());
    }
    return new FailoverDecision(
        Outcome.FAIL_OVER, "automatic failover to a dormant standby", standby);
  }
}
