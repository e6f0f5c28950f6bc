package io.botfleet.billing.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How recurring costs become daily entries, in whole cents so that a bill adds up: a month's amount
 * is spread over its days (the cents left over go to the month's last days, so 100.00 over 30 days
 * is 20 days of 3.33 and 10 of 3.34, and the month sums to exactly 100.00), and a day's amount is
 * split across bots by weight with the largest-remainder method (6.80 over three bots is 2.27,
 * 2.27, 2.26). Nothing is lost or made up by rounding.
 */
public final class Allocation {

  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

  private Allocation() {}

  /** The share of {@code monthly} (whole cents) that accrues on {@code day}. */
  public static BigDecimal dailyAmount(BigDecimal monthly, LocalDate day) {
    long cents = toCents(monthly);
    int days = day.lengthOfMonth();
    long base = cents / days;
    long leftover = cents % days;
    boolean extraCent = day.getDayOfMonth() > days - leftover;
    return fromCents(base + (extraCent ? 1 : 0));
  }

  /**
   * Splits {@code amount} (whole cents) across bots in proportion to their weights; all weights 0
   * splits evenly. The parts add up to the amount exactly; ties of the leftover cents go to bot ids
   * in order, so the split is the same every time.
   *
   * @param weights bot id to weight (at least one bot, weights not negative)
   */
  public static Map<String, BigDecimal> split(BigDecimal amount, Map<String, Long> weights) {
    if (weights.isEmpty()) {
      throw new IllegalArgumentException("nobody to split across");
    }
    TreeMap<String, Long> sorted = new TreeMap<>(weights);
    long total = sorted.values().stream().mapToLong(Long::longValue).sum();
    if (total == 0) {
      sorted.replaceAll((bot, weight) -> 1L);
      total = sorted.size();
    }
    long cents = toCents(amount);
    record Part(String bot, long cents, long remainder) {}
    List<Part> parts = new ArrayList<>();
    long given = 0;
    for (Map.Entry<String, Long> entry : sorted.entrySet()) {
      long exact = Math.multiplyExact(cents, entry.getValue());
      parts.add(new Part(entry.getKey(), exact / total, exact % total));
      given += exact / total;
    }
    List<Part> byRemainder = new ArrayList<>(parts);
    byRemainder.sort(Comparator.comparingLong(Part::remainder).reversed().thenComparing(Part::bot));
    Map<String, Long> extra = new TreeMap<>();
    for (int i = 0; i < cents - given; i++) {
      extra.merge(byRemainder.get(i).bot(), 1L, Long::sum);
    }
    Map<String, BigDecimal> result = new LinkedHashMap<>();
    for (Part part : parts) {
      result.put(part.bot(), fromCents(part.cents() + extra.getOrDefault(part.bot(), 0L)));
    }
    return result;
  }

  /** True if {@code amount} is a whole number of cents. */
  public static boolean isWholeCents(BigDecimal amount) {
    return amount.stripTrailingZeros().scale() <= 2;
  }

  private static long toCents(BigDecimal amount) {
    return amount.multiply(HUNDRED).setScale(0, RoundingMode.UNNECESSARY).longValueExact();
  }

  private static BigDecimal fromCents(long cents) {
    return BigDecimal.valueOf(cents, 2);
  }
}
