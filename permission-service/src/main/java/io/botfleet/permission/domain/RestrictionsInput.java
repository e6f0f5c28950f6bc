package io.botfleet.permission.domain;

import io.botfleet.common.error.Violations;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Restrictions as a request writes them (decimal strings, plain lists), before validation. Empty
 * strings mean "not set".
 *
 * @param maxOrderSizeUsd decimal string
 * @param maxPositionUsd decimal string
 * @param allowedPairs pairs such as BTC/USDT
 * @param allowedInstruments patterns such as BTC-*-C
 * @param maxDeltaExposure decimal string
 * @param deniedActions known actions
 */
public record RestrictionsInput(
    String maxOrderSizeUsd,
    String maxPositionUsd,
    List<String> allowedPairs,
    List<String> allowedInstruments,
    String maxDeltaExposure,
    List<String> deniedActions) {

  private static final Pattern PAIR = Pattern.compile("[A-Z0-9]{1,20}/[A-Z0-9]{1,20}");
  private static final int MAX_ENTRIES = 500;

  /** No restriction. */
  public static final RestrictionsInput NONE =
      new RestrictionsInput("", "", List.of(), List.of(), "", List.of());

  /**
   * The restrictions, or INVALID_ARGUMENT naming every field at fault: malformed, negative, zero or
   * NaN limits; malformed or duplicate pairs; instrument patterns that are malformed or allow
   * everything; unknown or duplicate denied actions; and limits on orders for a tier that places
   * none (they would contradict it).
   *
   * @param prefix the field path of the restrictions in the request, e.g. "restrictions"
   */
  public Restrictions validate(TierDefinition tier, Set<String> knownActions, String prefix) {
    Violations violations = new Violations();
    BigDecimal orderSize = positive(maxOrderSizeUsd, prefix + ".max_order_size_usd", violations);
    BigDecimal position = positive(maxPositionUsd, prefix + ".max_position_usd", violations);
    BigDecimal delta = nonNegative(maxDeltaExposure, prefix + ".max_delta_exposure", violations);
    List<String> pairs = pairs(prefix + ".allowed_pairs", violations);
    List<InstrumentPattern> instruments = instruments(prefix + ".allowed_instruments", violations);
    List<String> denied = deniedActions(knownActions, prefix + ".denied_actions", violations);
    Restrictions restrictions =
        new Restrictions(orderSize, position, pairs, instruments, delta, denied);
    if (violations.isEmpty() && restrictions.limitsOrders() && !tier.allowsOrders()) {
      contradictions(restrictions, tier, prefix, violations);
    }
    violations.throwIfAny();
    return restrictions;
  }

  private static void contradictions(
      Restrictions r, TierDefinition tier, String prefix, Violations violations) {
    String why = "limits orders, but tier " + tier.name() + " places none: remove it";
    violations.require(r.maxOrderSizeUsd() == null, prefix + ".max_order_size_usd", why);
    violations.require(r.maxPositionUsd() == null, prefix + ".max_position_usd", why);
    violations.require(r.allowedPairs().isEmpty(), prefix + ".allowed_pairs", why);
    violations.require(r.allowedInstruments().isEmpty(), prefix + ".allowed_instruments", why);
    violations.require(r.maxDeltaExposure() == null, prefix + ".max_delta_exposure", why);
  }

  private static BigDecimal positive(String text, String field, Violations violations) {
    BigDecimal value = nonNegative(text, field, violations);
    if (value != null && value.signum() == 0) {
      violations.add(field, "must be greater than 0 (to forbid orders, deny the actions instead)");
      return null;
    }
    return value;
  }

  private static BigDecimal nonNegative(String text, String field, Violations violations) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    BigDecimal value = DecimalStrings.parseOrNull(text);
    if (value == null) {
      violations.add(field, DecimalStrings.describe(text));
      return null;
    }
    if (value.signum() < 0) {
      violations.add(field, "must not be negative, got " + text);
      return null;
    }
    return value;
  }

  private List<String> pairs(String field, Violations violations) {
    List<String> result = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    if (allowedPairs.size() > MAX_ENTRIES) {
      violations.add(field, "at most " + MAX_ENTRIES + " pairs");
      return result;
    }
    for (int i = 0; i < allowedPairs.size(); i++) {
      String pair = allowedPairs.get(i);
      if (pair.contains("*")) {
        violations.add(
            field + "[" + i + "]",
            "pairs are exact: \"" + pair + "\" is a pattern (omit allowed_pairs to allow any)");
      } else if (!PAIR.matcher(pair).matches()) {
        violations.add(
            field + "[" + i + "]", "must be BASE/QUOTE in upper case, e.g. BTC/USDT, got " + pair);
      } else if (!seen.add(pair)) {
        violations.add(field + "[" + i + "]", pair + " is listed twice");
      } else {
        result.add(pair);
      }
    }
    return result;
  }

  private List<InstrumentPattern> instruments(String field, Violations violations) {
    List<InstrumentPattern> result = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    if (allowedInstruments.size() > MAX_ENTRIES) {
      violations.add(field, "at most " + MAX_ENTRIES + " patterns");
      return result;
    }
    for (int i = 0; i < allowedInstruments.size(); i++) {
      String text = allowedInstruments.get(i);
      try {
        InstrumentPattern pattern = InstrumentPattern.parse(text);
        if (seen.add(text)) {
          result.add(pattern);
        } else {
          violations.add(field + "[" + i + "]", text + " is listed twice");
        }
      } catch (IllegalArgumentException e) {
        violations.add(field + "[" + i + "]", e.getMessage());
      }
    }
    return result;
  }

  private List<String> deniedActions(Set<String> known, String field, Violations violations) {
    List<String> result = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < deniedActions.size(); i++) {
      String action = deniedActions.get(i);
      if (!known.contains(action)) {
        violations.add(field + "[" + i + "]", "unknown action " + action);
      } else if (!seen.add(action)) {
        violations.add(field + "[" + i + "]", action + " is listed twice");
      } else {
        result.add(action);
      }
    }
    return result;
  }
}
