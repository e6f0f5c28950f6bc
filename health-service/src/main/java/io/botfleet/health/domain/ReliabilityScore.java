package io.botfleet.health.domain;

/**
 * A bot's reliability over the last 30 days, 0 to 100 (the guide's get_agent_reputation, computed
 * from the bot's own history): half from uptime (5% downtime or more scores 0), 30 points from SLA
 * violations (5 or more score 0), 20 from incidents, i.e. deaths and critical health alerts (10 or
 * more score 0). A bot with a clean month scores 100.
 */
public final class ReliabilityScore {

  private ReliabilityScore() {}

  /** The score from 30-day uptime (percent), SLA violations and incidents. */
  public static double of(double uptimePct, int slaViolations, int incidents) {
    double uptime = 50 * clamp(1 - (100 - uptimePct) / 5);
    double violations = 30 * clamp(1 - slaViolations / 5.0);
    double incidentScore = 20 * clamp(1 - incidents / 10.0);
    return Math.round((uptime + violations + incidentScore) * 10) / 10.0;
  }

  private static double clamp(double x) {
    return Math.max(0, Math.min(1, x));
  }
}
