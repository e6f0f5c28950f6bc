package io.botfleet.billing.service;

import io.botfleet.billing.client.FleetClient;
import io.botfleet.billing.client.HealthClient;
import io.botfleet.billing.domain.Allocation;
import io.botfleet.billing.domain.BotInfo;
import io.botfleet.billing.domain.CostEntry;
import io.botfleet.billing.domain.CostModel;
import io.botfleet.billing.domain.DailyStat;
import io.botfleet.billing.domain.Money;
import io.botfleet.billing.domain.SplitRule;
import io.botfleet.billing.persistence.BotRepository;
import io.botfleet.billing.persistence.CostModelEntity;
import io.botfleet.billing.persistence.CostModelRepository;
import io.botfleet.common.error.BotfleetException;
import io.botfleet.common.events.EventLog;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Books each closed day of each cost model once: amount / days in the month (in cents, see {@link
 * Allocation}) to its bot, or split across the bots of its group or of the fleet that were active
 * that day (a heartbeat that day, per health-service's daily stats), evenly or by their trades. If
 * none was active, the group's registered bots share it evenly; if the group has none, it is booked
 * as unallocated so the fleet total stays true. Days missed while billing or its callees were down
 * are caught up at the next run; a day is never booked twice.
 */
@ApplicationScoped
public class CostAccrualService {

  @Inject CostModelRepository models;
  @Inject BotRepository bots;
  @Inject BotDirectory directory;
  @Inject FleetClient fleet;
  @Inject HealthClient health;
  @Inject CostBooking booking;
  @Inject EventLog events;

  /** Who shares a shared model's days: the group's bots and their days of activity. */
  private record Sharers(List<BotInfo> bots, Map<LocalDate, Map<String, Long>> tradesByDay) {}

  /** Books every unbooked day up to {@code closedThrough}. Returns the days booked. */
  public int accrue(LocalDate closedThrough) {
    List<CostModel> all =
        QuarkusTransaction.requiringNew()
            .call(() -> models.byName().stream().map(CostModelEntity::toDomain).toList());
    Map<String, List<BotInfo>> botsByScope = new HashMap<>();
    int booked = 0;
    for (CostModel model : all) {
      LocalDate to =
          model.endDate() == null || model.endDate().isAfter(closedThrough)
              ? closedThrough
              : model.endDate();
      if (model.startDate().isAfter(to)) {
        continue;
      }
      Set<LocalDate> done =
          QuarkusTransaction.requiringNew()
              .call(() -> models.accruedDays(model.id(), model.startDate(), to));
      List<LocalDate> missing =
          model.startDate().datesUntil(to.plusDays(1)).filter(d -> !done.contains(d)).toList();
      if (missing.isEmpty()) {
        continue;
      }
      try {
        Sharers sharers = model.botId() != null ? null : sharers(model, missing, botsByScope);
        for (LocalDate day : missing) {
          if (bookDay(model, day, sharers)) {
            booked++;
          }
        }
      } catch (BotfleetException e) {
        Log.warnf(
            "Cost model %s: %d days not booked yet, retried at the next run: %s",
            model.name(), missing.size(), e.getMessage());
      }
    }
    return booked;
  }

  private Sharers sharers(
      CostModel model, List<LocalDate> days, Map<String, List<BotInfo>> botsByScope) {
    String scope = model.group() == null ? "" : model.group();
    List<BotInfo> members =
        botsByScope.computeIfAbsent(
            scope,
            s -> {
              List<BotInfo> listed = fleet.listBots(s);
              QuarkusTransaction.requiringNew().run(() -> bots.upsert(listed));
              return listed.stream().filter(b -> !b.standby()).toList();
            });
    Map<LocalDate, Map<String, Long>> trades = new HashMap<>();
    List<String> ids = members.stream().map(BotInfo::id).toList();
    for (DailyStat stat : health.dailyStats(ids, days.get(0), days.get(days.size() - 1))) {
      trades
          .computeIfAbsent(stat.date(), d -> new HashMap<>())
          .put(stat.botId(), stat.tradeCount());
    }
    return new Sharers(members, trades);
  }

  private boolean bookDay(CostModel model, LocalDate day, Sharers sharers) {
    BigDecimal amount = Allocation.dailyAmount(model.monthlyAmountUsd(), day);
    String head =
        model.name()
            + " ("
            + Money.format(model.monthlyAmountUsd())
            + " USD/month): "
            + Money.format(amount)
            + " for "
            + day;
    Map<String, BigDecimal> shares;
    Map<String, String> names = new HashMap<>();
    String basis;
    String group = null;
    if (sharers == null) {
      shares = Map.of(model.botId(), amount);
      directory.cached(model.botId()).ifPresent(b -> names.put(b.id(), b.name()));
      basis = "";
    } else {
      sharers.bots().forEach(b -> names.put(b.id(), b.name()));
      Map<String, Long> active = new TreeMap<>();
      sharers.tradesByDay().getOrDefault(day, Map.of()).forEach(active::put);
      active.keySet().retainAll(names.keySet());
      Map<String, Long> weights = new TreeMap<>();
      if (!active.isEmpty()) {
        active.forEach(
            (bot, trades) -> weights.put(bot, model.split() == SplitRule.BY_USAGE ? trades : 1L));
        basis =
            model.split() == SplitRule.BY_USAGE
                ? "by trades among " + active.size() + " bots active that day"
                : "evenly across " + active.size() + " bots active that day";
      } else {
        sharers.bots().stream().filter(BotInfo::inFleet).forEach(b -> weights.put(b.id(), 1L));
        basis = "evenly across " + weights.size() + " registered bots (none active that day)";
      }
      if (weights.isEmpty()) {
        group = model.group();
        shares = Map.of(BotInfo.UNALLOCATED, amount);
        names.put(BotInfo.UNALLOCATED, BotInfo.UNALLOCATED);
        basis = "unallocated: " + model.attachedTo() + " has no bots";
      } else {
        shares = Allocation.split(amount, weights);
      }
    }
    List<CostEntry> entries = new ArrayList<>();
    String entryGroup = group;
    String description = basis.isEmpty() ? head : head + ", " + basis;
    shares.forEach(
        (bot, share) -> {
          if (share.signum() != 0) {
            entries.add(
                new CostEntry(
                    UUID.randomUUID(),
                    bot,
                    names.get(bot),
                    model.category(),
                    share,
                    description,
                    day,
                    EventLog.SYSTEM,
                    Instant.now(),
                    "cost_model:" + model.id() + ":" + day + ":" + bot,
                    "cost_model:" + model.id(),
                    null,
                    entryGroup));
          }
        });
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              if (!models.markAccrued(model.id(), day, amount, entries.size())) {
                return false;
              }
              booking.book(entries, EventLog.SYSTEM);
              Map<String, Object> payload = new LinkedHashMap<>();
              payload.put("model_id", model.id().toString());
              payload.put("name", model.name());
              payload.put("date", day.toString());
              payload.put("amount_usd", Money.format(amount));
              Map<String, String> split = new TreeMap<>();
              shares.forEach((bot, share) -> split.put(bot, Money.format(share)));
              payload.put("shares", split);
              events.append("fleet.cost_accrued", model.botId(), EventLog.SYSTEM, payload);
              return true;
            });
  }
}
