package io.botfleet.permission.domain;

/** Which rule decided a permission check (the proto's DecisionRule). */
public enum DecisionRule {
  /** Every rule passed. */
  ALLOWED,
  /** The bot has no permissions here. */
  UNKNOWN_BOT,
  /** The action is not one of the known abstract permissions. */
  UNKNOWN_ACTION,
  /** The bot's tier does not grant the action. */
  TIER,
  /** The action is in the bot's denied_actions. */
  DENIED_ACTION,
  /** A restriction needs context the request lacks. */
  MISSING_CONTEXT,
  /** The exchange is not the bot's. */
  EXCHANGE,
  /** Order larger than max_order_size_usd. */
  MAX_ORDER_SIZE,
  /** Position after the order larger than max_position_usd. */
  MAX_POSITION,
  /** Pair not in allowed_pairs. */
  ALLOWED_PAIRS,
  /** Instrument matches no allowed_instruments pattern. */
  ALLOWED_INSTRUMENTS,
  /** Delta after the order beyond max_delta_exposure. */
  MAX_DELTA_EXPOSURE,
  /** The bot is paused. */
  SUSPENDED_PAUSED,
  /** The bot is emergency-stopped. */
  SUSPENDED_STOPPED
}
