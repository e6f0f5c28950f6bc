package io.botfleet.sdk.command;

import java.util.List;

/**
 * {@code emergency_stop}: the kill switch. Carry out every action, in order; the bot is stopped
 * afterwards (a {@code resume} does not restart a stopped bot).
 *
 * <p>{@value #DESTROY_LOCAL_KEYS} is carried out by the SDK itself after the handler returns: it
 * overwrites and deletes the key file and the client stops for good (the identity is being revoked
 * because it is believed compromised).
 *
 * @param info id, sequence, times, raw payload
 * @param reason why, e.g. {@code identity_revoked: key leaked}
 * @param actions the actions, e.g. {@value #CANCEL_ALL_OPEN_ORDERS}, {@value
 *     #CLOSE_ALL_POSITIONS_MARKET}, {@value #HALT_TRADING_LOOP}
 */
public record EmergencyStopCommand(CommandInfo info, String reason, List<String> actions) {

  /** Cancel every open order. */
  public static final String CANCEL_ALL_OPEN_ORDERS = "cancel_all_open_orders";

  /** Close every position at market. */
  public static final String CLOSE_ALL_POSITIONS_MARKET = "close_all_positions_market";

  /** Stop the trading loop. */
  public static final String HALT_TRADING_LOOP = "halt_trading_loop";

  /** Destroy the local private key (done by the SDK after the handler). */
  public static final String DESTROY_LOCAL_KEYS = "destroy_local_keys";

  /** The guide's default actions, when the payload names none. */
  public static final List<String> DEFAULT_ACTIONS =
      List.of(CANCEL_ALL_OPEN_ORDERS, CLOSE_ALL_POSITIONS_MARKET, HALT_TRADING_LOOP);

  /** Copies the actions. */
  public EmergencyStopCommand {
    actions = List.copyOf(actions);
  }

  /** True if open orders must be cancelled. */
  public boolean cancelsOrders() {
    return actions.contains(CANCEL_ALL_OPEN_ORDERS);
  }

  /** True if positions must be closed at market. */
  public boolean closesPositions() {
    return actions.contains(CLOSE_ALL_POSITIONS_MARKET);
  }

  /** True if the trading loop must stop. */
  public boolean haltsTrading() {
    return actions.contains(HALT_TRADING_LOOP);
  }

  /** True if the SDK will destroy the key file after the handler returns. */
  public boolean destroysLocalKeys() {
    return actions.contains(DESTROY_LOCAL_KEYS);
  }
}
