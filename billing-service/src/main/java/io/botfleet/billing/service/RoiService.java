package io.botfleet.billing.service;

import io.botfleet.billing.client.HealthClient;
import io.botfleet.billing.config.BillingConfig;
import io.botfleet.billing.domain.BotInfo;
import io.botfleet.billing.domain.BotRoi;
import io.botfleet.billing.domain.DailyStat;
import io.botfleet.billing.domain.DecisionRule;
import io.botfleet.billing.domain.Period;
import io.botfleet.billing.domain.Roi;
import io.botfleet.billing.persistence.CostEntryRepository;
import io.botfleet.billing.persistence.FillRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ROI after costs (the guide's formulas). Gross PnL is the sum over the period's days of the day's
 * last pnl_usd the bot reported in its heartbeats (health-service); for a day without heartbeat
 * data, the realized PnL of the bot's fills that day. Without health-service there is no honest
 * gross, so the call fails UNAVAILABLE rather than report a partial one.
 */
@ApplicationScoped
public class RoiService {

  @Inject CostEntryRepository entries;
  @Inject FillRepository fills;
  @Inject BotDirectory directory;
  @Inject HealthClient health;
  @Inject BillingConfig config;

  /** A bot's ROI over a period. */
  public BotRoi calculate(String botId, Period period) {
    BotInfo bot = directory.lookupQuietly(botId).orElse(unnamed(botId));
    BigDecimal cost =
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    entries.byCategory(botId, period.start(), period.end()).values().stream()
                        .reduce(BigDecimal.ZERO, BigDecimal::add));
    Map<LocalDate, BigDecimal> byDay =
        new HashMap<>(
            QuarkusTransaction.requiringNew()
                .call(() -> fills.realizedPnlByDay(botId, period.start(), period.end())));
    for (DailyStat stat : health.dailyStats(List.of(botId), period.start(), period.end())) {
      byDay.put(stat.date(), stat.pnlUsd());
    }
    BigDecimal gross = byDay.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
    return judged(bot, Roi.of(gross, cost), period);
  }

  /**
   * Every bot of the fleet (and any other bot with costs in the period) by ROI, best first; ties by
   * net PnL, then name.
   */
  public List<BotRoi> ranking(Period period) {
    Map<String, BotInfo> bots = new LinkedHashMap<>();
    List<BotInfo> known = directory.current();
    known.stream().filter(BotInfo::inFleet).forEach(b -> bots.put(b.id(), b));
    Map<String, BigDecimal> costs =
        QuarkusTransaction.requiringNew()
            .call(() -> entries.totalsByBot(period.start(), period.end()));
    costs.remove(BotInfo.UNALLOCATED);
    Map<String, BotInfo> all = new HashMap<>();
    known.forEach(b -> all.put(b.id(), b));
    costs.keySet().forEach(id -> bots.putIfAbsent(id, all.getOrDefault(id, unnamed(id))));
    Map<String, Map<LocalDate, BigDecimal>> gross =
        new HashMap<>(
            QuarkusTransaction.requiringNew()
                .call(() -> fills.realizedPnlByBotAndDay(period.start(), period.end())));
    for (DailyStat stat :
        health.dailyStats(new ArrayList<>(bots.keySet()), period.start(), period.end())) {
      gross.computeIfAbsent(stat.botId(), b -> new HashMap<>()).put(stat.date(), stat.pnlUsd());
    }
    List<BotRoi> ranking = new ArrayList<>();
    for (BotInfo bot : bots.values()) {
      BigDecimal pnl =
          gross.getOrDefault(bot.id(), Map.of()).values().stream()
              .reduce(BigDecimal.ZERO, BigDecimal::add);
      ranking.add(judged(bot, Roi.of(pnl, costs.getOrDefault(bot.id(), BigDecimal.ZERO)), period));
    }
    ranking.sort(
        Comparator.comparing((BotRoi r) -> r.roi().roiPct())
            .thenComparing(r -> r.roi().netPnlUsd())
            .reversed()
            .thenComparing(r -> r.bot().name()));
    return ranking;
  }

  private BotRoi judged(BotInfo bot, Roi roi, Period period) {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    LocalDate last = period.end().isAfter(today) ? today : period.end();
    long days = Math.max(1, ChronoUnit.DAYS.between(period.start(), last) + 1);
    return new BotRoi(bot, roi, rule().recommend(roi, days));
  }

  private DecisionRule rule() {
    BillingConfig.Decision d = config.decision();
    return new DecisionRule(
        d.shutDownBelowRoiPct(),
        d.scaleFromRoiPct(),
        d.optimiseFromCostSharePct(),
        d.optimiseMinDailyCostUsd());
  }

  private static BotInfo unnamed(String botId) {
    return new BotInfo(botId, "", "", "", "", "", false);
  }
}
