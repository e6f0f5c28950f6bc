package io.botfleet.sdk;

import io.botfleet.permission.v1.CheckContext;
import java.math.BigDecimal;

/**
 * What a permission check is about, as far as the bot's restrictions need to know (permission
 * service's {@code CheckContext}). Every field is optional: a restriction that needs a missing one
 * denies (rule {@code MISSING_CONTEXT}). Amounts are exact decimals, sent as plain decimal strings;
 * permission-service refuses a negative size or position as malformed.
 *
 * @param exchange the exchange of the order; must be the bot's
 * @param pair the pair, e.g. {@code BTC/USDT} (spot and perps)
 * @param instrument the instrument, e.g. {@code BTC-27DEC26-100000-C} (options)
 * @param orderSizeUsd order size in USD, not negative
 * @param reduceOnly true if the order can only reduce a position
 * @param positionAfterUsd absolute position in USD after the order, not negative
 * @param deltaAfter portfolio delta after the order (may be negative)
 */
public record PermissionContext(
    String exchange,
    String pair,
    String instrument,
    BigDecimal orderSizeUsd,
    boolean reduceOnly,
    BigDecimal positionAfterUsd,
    BigDecimal deltaAfter) {

  /** No context: for actions that need none, such as {@code read_positions}. */
  public static final PermissionContext NONE =
      new PermissionContext(null, null, null, null, false, null, null);

  /** A new builder, every field unset. */
  public static Builder builder() {
    return new Builder();
  }

  /** The wire form; unset fields stay empty, which permission-service reads as missing. */
  CheckContext toProto() {
    CheckContext.Builder proto = CheckContext.newBuilder().setReduceOnly(reduceOnly);
    if (exchange != null) {
      proto.setExchange(exchange);
    }
    if (pair != null) {
      proto.setPair(pair);
    }
    if (instrument != null) {
      proto.setInstrument(instrument);
    }
    if (orderSizeUsd != null) {
      proto.setOrderSizeUsd(orderSizeUsd.toPlainString());
    }
    if (positionAfterUsd != null) {
      proto.setPositionAfterUsd(positionAfterUsd.toPlainString());
    }
    if (deltaAfter != null) {
      proto.setDeltaAfter(deltaAfter.toPlainString());
    }
    return proto.build();
  }

  /** Builds a {@link PermissionContext}. */
  public static final class Builder {
    private String exchange;
    private String pair;
    private String instrument;
    private BigDecimal orderSizeUsd;
    private boolean reduceOnly;
    private BigDecimal positionAfterUsd;
    private BigDecimal deltaAfter;

    private Builder() {}

    /** The exchange of the order, e.g. {@code binance}. */
    public Builder exchange(String exchange) {
      this.exchange = exchange;
      return this;
    }

    /** The pair, e.g. {@code BTC/USDT}. */
    public Builder pair(String pair) {
      this.pair = pair;
      return this;
    }

    /** The instrument, e.g. {@code BTC-27DEC26-100000-C}. */
    public Builder instrument(String instrument) {
      this.instrument = instrument;
      return this;
    }

    /** Order size in USD. */
    public Builder orderSizeUsd(BigDecimal orderSizeUsd) {
      this.orderSizeUsd = orderSizeUsd;
      return this;
    }

    /** True if the order can only reduce a position. */
    public Builder reduceOnly(boolean reduceOnly) {
      this.reduceOnly = reduceOnly;
      return this;
    }

    /** Absolute position in USD after the order. */
    public Builder positionAfterUsd(BigDecimal positionAfterUsd) {
      this.positionAfterUsd = positionAfterUsd;
      return this;
    }

    /** Portfolio delta after the order. */
    public Builder deltaAfter(BigDecimal deltaAfter) {
      this.deltaAfter = deltaAfter;
      return this;
    }

    /** The context. */
    public PermissionContext build() {
      return new PermissionContext(
          exchange, pair, instrument, orderSizeUsd, reduceOnly, positionAfterUsd, deltaAfter);
    }
  }
}
