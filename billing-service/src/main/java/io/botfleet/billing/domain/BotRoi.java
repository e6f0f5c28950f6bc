package io.botfleet.billing.domain;

/**
 * A bot's ROI over a period with the decision rule's recommendation.
 *
 * @param bot the bot (name, group, strategy, exchange may be empty strings if unknown)
 * @param roi its ROI
 * @param recommendation what to do
 */
public record BotRoi(BotInfo bot, Roi roi, Recommendation recommendation) {}
