package io.botfleet.permission.domain;

import java.util.Set;

/**
 * The abstract permissions the rules treat specially. Which tier grants what is data (the tier
 * tables); what an action means for a suspension or a restriction is a rule, written here.
 */
public final class Actions {

  /** Places an order. */
  public static final String PLACE_ORDER = "place_order";

  /** Amends an open order. */
  public static final String MODIFY_ORDER = "modify_order";

  /** Cancels an open order: it only ever lowers risk. */
  public static final String CANCEL_ORDER = "cancel_order";

  /** Moves funds off the exchange. */
  public static final String WITHDRAW_FUNDS = "withdraw_funds";

  /** Changes API keys: held by the admin tier only. */
  public static final String MODIFY_API_KEYS = "modify_api_keys";

  /**
   * Permissions that move funds or administer the account. The guide's policy: no trading bot holds
   * them; a dedicated withdrawal agent may, with human approval.
   */
  public static final Set<String> PRIVILEGED =
      Set.of(
          WITHDRAW_FUNDS,
          "transfer_between_accounts",
          MODIFY_API_KEYS,
          "modify_account_settings",
          "register_sub_accounts");

  private Actions() {}

  /** True for the actions that send an order to the market (and so may open a position). */
  public static boolean isOrder(String action) {
    return PLACE_ORDER.equals(action) || MODIFY_ORDER.equals(action);
  }
}
