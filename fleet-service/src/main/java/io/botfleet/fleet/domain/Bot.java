package io.botfleet.fleet.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A bot of the fleet as fleet-service knows it.
 *
 * @param id its agent id
 * @param name unique among the bots in the fleet
 * @param group its group
 * @param exchange its exchange
 * @param strategy its strategy
 * @param version the version it runs
 * @param status its status
 * @param control what the operator last told it to be
 * @param capabilities its capabilities
 * @param maxPositionUsd largest position, USD
 * @param metadata free-form metadata
 * @param role trading_bot or withdrawal_agent
 * @param tier its permission tier at registration
 * @param standby registered as a dormant standby
 * @param registeredAt when it was registered
 * @param lastHeartbeatAt its last heartbeat as health-service reported it, or null
 * @param statusReason why the status last changed
 * @param connected true while a replica holds its command stream
 */
public record Bot(
    String id,
    String name,
    String group,
    String exchange,
    String strategy,
    String version,
    BotStatus status,
    Control control,
    List<String> capabilities,
    BigDecimal maxPositionUsd,
    Map<String, String> metadata,
    String role,
    Tier tier,
    boolean standby,
    Instant registeredAt,
    Instant lastHeartbeatAt,
    String statusReason,
    boolean connected) {}
