package io.botfleet.health.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * Where a bot's SLA escalation stands.
 *
 * @param botId the bot
 * @param level the highest severity of its last check (null: nothing found)
 * @param findings the findings of its last check, one line each
 * @param burn the burn-rate alert tier it is in
 * @param alertId its open sla_violation alert, if any
 * @param burnAlertId its open sla_burn_rate alert, if any
 * @param checkedAt when last checked
 * @param reliabilityScore its reliability score (null until computed)
 * @param reliabilityAt when the score was computed
 * @param mirroredOn the last day its compliance was mirrored to GreenHelix
 */
public record SlaState(
    String botId,
    SlaSeverity level,
    List<String> findings,
    BurnRateAlert burn,
    UUID alertId,
    UUID burnAlertId,
    Instant checkedAt,
    Double reliabilityScore,
    Instant reliabilityAt,
    LocalDate mirroredOn) {

  /** A bot never checked. */
  public static SlaState initial(String botId) {
    return new SlaState(
        botId, null, List.of(), BurnRateAlert.NONE, null, null, null, null, null, null);
  }
}
