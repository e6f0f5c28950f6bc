package io.botfleet.billing.service;

import io.botfleet.billing.client.HealthClient;
import io.botfleet.billing.config.BillingConfig;
import io.botfleet.billing.domain.BotInfo;
import io.botfleet.billing.domain.CostCategory;
import io.botfleet.billing.domain.DailyStat;
import io.botfleet.billing.domain.Roi;
import io.botfleet.billing.persistence.CostEntryRepository;
import io.botfleet.billing.persistence.FillRepository;
import io.botfleet.billing.persistence.JobRecords;
import io.botfleet.common.auth.ServiceCredentials;
import io.botfleet.common.error.BotfleetException;
import io.botfleet.common.greenhelix.Outbox;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The guide's cost and ROI metrics, sampled: once per bot and closed day, after that day's accruals
 * and API fees are booked, one submit_metrics with cost_&lt;category&gt;, cost_total_daily,
 * cost_period, gross_pnl_usd, net_pnl_usd, total_cost_usd and roi_pct; then one
 * search_agents_by_metrics for bots under the shut-down threshold. Both through the outbox.
 */
@ApplicationScoped
public class MetricsService {

  @Inject CostEntryRepository entries;
  @Inject FillRepository fills;
  @Inject JobRecords records;
  @Inject BotDirectory directory;
  @Inject HealthClient health;
  @Inject Outbox outbox;
  @Inject ServiceCredentials credentials;
  @Inject BillingConfig config;

  /** Sends the metrics of every closed day in the window not sent yet. Returns the days sent. */
  public int close(LocalDate from, LocalDate closedThrough) {
    LocalDate since = QuarkusTransaction.requiringNew().call(() -> records.metricsSince());
    LocalDate first = from.isBefore(since) ? since : from;
    if (first.isAfter(closedThrough)) {
      return 0;
    }
    Set<LocalDate> sent =
        QuarkusTransaction.requiringNew().call(() -> records.metricDays(first, closedThrough));
    int days = 0;
    for (LocalDate day = first; !day.isAfter(closedThrough); day = day.plusDays(1)) {
      if (sent.contains(day)) {
        continue;
      }
      try {
        if (closeDay(day)) {
          days++;
        }
      } catch (BotfleetException e) {
        Log.warnf("Metrics of %s not sent yet, retried at the next run: %s", day, e.getMessage());
      }
    }
    return days;
  }

  private boolean closeDay(LocalDate day) {
    Map<String, Map<CostCategory, BigDecimal>> costs = new HashMap<>();
    QuarkusTransaction.requiringNew()
        .call(() -> entries.breakdown(day, day))
        .forEach(
            row ->
                costs
                    .computeIfAbsent(row.botId(), b -> new EnumMap<>(CostCategory.class))
                    .merge(row.category(), row.amount(), BigDecimal::add));
    costs.remove(BotInfo.UNALLOCATED);
    Set<String> botIds = new TreeSet<>(costs.keySet());
    directory.all().stream().filter(BotInfo::inFleet).forEach(b -> botIds.add(b.id()));
    Map<String, BigDecimal> gross = new HashMap<>();
    QuarkusTransaction.requiringNew()
        .call(() -> fills.realizedPnlByBotAndDay(day, day))
        .forEach((bot, byDay) -> gross.put(bot, byDay.getOrDefault(day, BigDecimal.ZERO)));
    for (DailyStat stat : health.dailyStats(new ArrayList<>(botIds), day, day)) {
      gross.put(stat.botId(), stat.pnlUsd());
    }
    botIds.retainAll(union(costs.keySet(), gross.keySet()));
    String period = YearMonth.from(day).toString();
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              if (!records.markMetricsSent(day, botIds.size())) {
                return false;
              }
              for (String bot : botIds) {
                Map<CostCategory, BigDecimal> byCategory = costs.getOrDefault(bot, Map.of());
                Map<String, Object> metrics = new LinkedHashMap<>();
                BigDecimal total = BigDecimal.ZERO;
                for (CostCategory category : CostCategory.values()) {
                  BigDecimal amount = byCategory.getOrDefault(category, BigDecimal.ZERO);
                  metrics.put("cost_" + category.guideName(), amount);
                  total = total.add(amount);
                }
                Roi roi = Roi.of(gross.getOrDefault(bot, BigDecimal.ZERO), total);
                metrics.put("cost_total_daily", total);
                metrics.put("cost_period", period);
                metrics.put("gross_pnl_usd", roi.grossPnlUsd());
                metrics.put("net_pnl_usd", roi.netPnlUsd());
                metrics.put("total_cost_usd", roi.totalCostUsd());
                metrics.put("roi_pct", roi.roiPct());
                outbox.enqueue(bot, "submit_metrics", Map.of("agent_id", bot, "metrics", metrics));
              }
              outbox.enqueue(
                  credentials.agentId(),
                  "search_agents_by_metrics",
                  Map.of(
                      "metric", "roi_pct", "threshold", config.decision().shutDownBelowRoiPct()));
              Log.infof("Cost and ROI metrics of %s queued for %d bots", day, botIds.size());
              return true;
            });
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new TreeSet<>(a);
    all.addAll(b);
    return all;
  }
}
