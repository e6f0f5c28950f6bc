package io.botfleet.billing.service;

import io.botfleet.billing.domain.BotInfo;
import io.botfleet.billing.domain.BudgetAlert;
import io.botfleet.billing.domain.CostEntry;
import io.botfleet.billing.persistence.BotLocks;
import io.botfleet.billing.persistence.CostEntryRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The one way costs enter the books, whatever their source: the bots concerned are locked, the
 * entries written, and each bot's budget checked for every month the entries fall in, all in the
 * caller's transaction.
 */
@ApplicationScoped
public class CostBooking {

  @Inject CostEntryRepository entries;
  @Inject BotLocks locks;
  @Inject BudgetService budgets;

  /** Books entries; returns the budget alerts they raised. */
  @Transactional(Transactional.TxType.MANDATORY)
  public List<BudgetAlert> book(List<CostEntry> booked, String actor) {
    Map<String, Set<YearMonth>> months = new TreeMap<>();
    for (CostEntry entry : booked) {
      if (!entry.botId().equals(BotInfo.UNALLOCATED)) {
        months
            .computeIfAbsent(entry.botId(), b -> new LinkedHashSet<>())
            .add(YearMonth.from(entry.incurredDate()));
      }
    }
    locks.lock(months.keySet());
    entries.insertAll(booked);
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    List<BudgetAlert> alerts = new ArrayList<>();
    months.forEach(
        (bot, touched) ->
            touched.forEach(month -> alerts.addAll(budgets.check(bot, month, today, actor))));
    return alerts;
  }
}
