package io.botfleet.billing.service;

import io.botfleet.billing.domain.BotCostSummary;
import io.botfleet.billing.domain.BotInfo;
import io.botfleet.billing.domain.Budget;
import io.botfleet.billing.domain.BudgetAlertKind;
import io.botfleet.billing.domain.CostCategory;
import io.botfleet.billing.domain.CostEntry;
import io.botfleet.billing.domain.FleetCostSummary;
import io.botfleet.billing.domain.Page;
import io.botfleet.billing.domain.Period;
import io.botfleet.billing.persistence.CostEntryRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Cost reports: a bot's, the fleet's with its breakdowns, and the entries themselves. */
@ApplicationScoped
public class CostReportService {

  @Inject CostEntryRepository entries;
  @Inject BotDirectory directory;
  @Inject BudgetService budgets;

  /**
   * A bot's costs over a period, with the budget of the period's month and that month's spend
   * against it. NOT_FOUND for a bot fleet-service does not know and nothing was booked for.
   */
  public BotCostSummary bot(String botId, Period period) {
    Optional<BotInfo> bot = directory.cached(botId);
    if (bot.isEmpty()) {
      bot = directory.lookupQuietly(botId);
    }
    Optional<String> name = bot.map(BotInfo::name);
    BotCostSummary summary =
        QuarkusTransaction.requiringNew()
            .call(
                () -> {
                  Map<CostCategory, BigDecimal> byCategory = allCategories();
                  byCategory.putAll(entries.byCategory(botId, period.start(), period.end()));
                  BigDecimal total =
                      byCategory.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
                  Optional<Budget> budget = budgets.effective(botId);
                  BigDecimal limit = budget.map(Budget::monthlyBudgetUsd).orElse(null);
                  BigDecimal utilization =
                      budget
                          .map(
                              b ->
                                  BudgetAlertKind.utilizationPct(
                                      entries.spent(botId, period.budgetMonth()),
                                      b.monthlyBudgetUsd()))
                          .orElse(null);
                  return new BotCostSummary(
                      botId, name.orElse(null), byCategory, total, limit, utilization, period);
                });
    if (name.isEmpty() && summary.total().signum() == 0 && directory.knownMissing(botId)) {
      throw BudgetService.botNotFound(botId);
    }
    return summary;
  }

  /** The fleet's costs over a period, by bot, category, group, strategy and exchange. */
  @Transactional
  public FleetCostSummary fleet(Period period) {
    Map<CostCategory, BigDecimal> byCategory = allCategories();
    Map<String, BigDecimal> byGroup = new TreeMap<>();
    Map<String, BigDecimal> byStrategy = new TreeMap<>();
    Map<String, BigDecimal> byExchange = new TreeMap<>();
    Map<String, BigDecimal> byBot = new HashMap<>();
    Map<String, String> names = new HashMap<>();
    BigDecimal total = BigDecimal.ZERO;
    for (CostEntryRepository.CostRow row : entries.breakdown(period.start(), period.end())) {
      boolean overhead = row.botId().equals(BotInfo.UNALLOCATED);
      String fallback = overhead ? FleetCostSummary.FLEET : FleetCostSummary.UNKNOWN;
      total = total.add(row.amount());
      byCategory.merge(row.category(), row.amount(), BigDecimal::add);
      byGroup.merge(label(row.group(), fallback), row.amount(), BigDecimal::add);
      byStrategy.merge(label(row.strategy(), fallback), row.amount(), BigDecimal::add);
      byExchange.merge(label(row.exchange(), fallback), row.amount(), BigDecimal::add);
      byBot.merge(row.botId(), row.amount(), BigDecimal::add);
      if (row.botName() != null) {
        names.put(row.botId(), row.botName());
      }
    }
    List<FleetCostSummary.BotTotal> bots = new ArrayList<>();
    byBot.forEach((bot, sum) -> bots.add(new FleetCostSummary.BotTotal(bot, names.get(bot), sum)));
    bots.sort(
        Comparator.comparing(FleetCostSummary.BotTotal::total)
            .reversed()
            .thenComparing(FleetCostSummary.BotTotal::botId));
    return new FleetCostSummary(total, bots, byCategory, byGroup, byStrategy, byExchange, period);
  }

  /** A page of entries, oldest first. */
  @Transactional
  public Page<CostEntry> entries(
      Period period, String botId, CostCategory category, String after, int pageSize) {
    return entries.page(period.start(), period.end(), botId, category, after, pageSize);
  }

  private static Map<CostCategory, BigDecimal> allCategories() {
    Map<CostCategory, BigDecimal> sums = new EnumMap<>(CostCategory.class);
    for (CostCategory category : CostCategory.values()) {
      sums.put(category, BigDecimal.ZERO);
    }
    return sums;
  }

  private static String label(String value, String fallback) {
    return value == null || value.isEmpty() ? fallback : value;
  }
}
