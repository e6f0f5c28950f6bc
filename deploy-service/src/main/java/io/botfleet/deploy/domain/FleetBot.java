package io.botfleet.deploy.domain;

/**
 * A bot as fleet-service describes it.
 *
 * @param id the bot's agent id
 * @param name its name, e.g. {@code perp-momentum-01}
 * @param group its group
 * @param version the version it runs (as its heartbeats last reported)
 * @param status its status
 * @param standby true for a dormant standby (sends no heartbeats)
 */
public record FleetBot(
    String id, String name, String group, String version, BotStatus status, boolean standby) {}
