package io.botfleet.billing.domain;

/**
 * What billing knows about a bot from fleet-service.
 *
 * @param id its agent id
 * @param name its name
 * @param group its group
 * @param strategy its strategy
 * @param exchange its exchange
 * @param status fleet's status name without prefix, e.g. "ACTIVE", "DEREGISTERED"
 * @param standby true for a dormant standby (it runs nothing, so it shares no costs)
 */
public record BotInfo(
    String id,
    String name,
    String group,
    String strategy,
    String exchange,
    String status,
    boolean standby) {

  /** The bot id that carries costs no bot can carry (fleet overhead, a group with no bots). */
  public static final String UNALLOCATED = "unallocated";

  /** True while the bot belongs to the fleet (not deregistered, revoked or going). */
  public boolean inFleet() {
    return !status.equals("DEREGISTERED")
        && !status.equals("REVOKED")
        && !status.equals("DEREGISTERING");
  }
}
