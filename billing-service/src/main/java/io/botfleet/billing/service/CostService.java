package io.botfleet.billing.service;

import io.botfleet.billing.domain.BotInfo;
import io.botfleet.billing.domain.BudgetAlert;
import io.botfleet.billing.domain.CostEntry;
import io.botfleet.billing.domain.CostRecord;
import io.botfleet.billing.domain.Money;
import io.botfleet.billing.persistence.CostEntryRepository;
import io.botfleet.common.auth.Caller;
import io.botfleet.common.error.BotfleetException;
import io.botfleet.common.events.EventLog;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Booking manual costs (RecordCost). */
@ApplicationScoped
public class CostService {

  @Inject CostEntryRepository entries;
  @Inject CostBooking booking;
  @Inject BotDirectory directory;
  @Inject BudgetService budgets;
  @Inject BudgetPauseService pauses;
  @Inject EventLog events;

  /**
   * The entry and the budget alerts it raised.
   *
   * @param entry the entry (the first one, on a retry)
   * @param alerts the alerts raised, as they stand after any pause was attempted
   */
  public record Recorded(CostEntry entry, List<BudgetAlert> alerts) {}

  /**
   * Books a manual cost entry to the day it was incurred, and checks the bot's budget for that
   * month. The same entry key books once: a retry returns the first entry, and a different cost
   * under a used key is ALREADY_EXISTS. A bot fleet-service says does not exist is NOT_FOUND; while
   * fleet-service is down the cost is booked by bot id and named later.
   */
  public Recorded record(CostRecord record) {
    record.check(LocalDate.now(ZoneOffset.UTC));
    Optional<CostEntry> earlier = findByKey(record.entryKey());
    if (earlier.isPresent()) {
      return new Recorded(sameOrConflict(earlier.get(), record), List.of());
    }
    if (directory.knownMissing(record.botId())) {
      throw BudgetService.botNotFound(record.botId());
    }
    Optional<BotInfo> bot = directory.lookupQuietly(record.botId());
    if (bot.isEmpty()) {
      Log.warnf(
          "Booking a cost for %s without its name: fleet-service cannot say it now (named later)",
          record.botId());
    }
    String actor = Caller.current().agentId();
    CostEntry entry =
        new CostEntry(
            UUID.randomUUID(),
            record.botId(),
            bot.map(BotInfo::name).orElse(null),
            record.category(),
            record.amountUsd(),
            record.description(),
            record.incurredDate(),
            actor,
            Instant.now(),
            record.entryKey(),
            "manual",
            null,
            null);
    List<BudgetAlert> alerts;
    try {
      alerts =
          QuarkusTransaction.requiringNew()
              .call(
                  () -> {
                    List<BudgetAlert> raised = booking.book(List.of(entry), actor);
                    events.append("fleet.cost_recorded", entry.botId(), actor, payload(entry));
                    return raised;
                  });
    } catch (PersistenceException concurrentRetry) {
      return new Recorded(
          findByKey(record.entryKey())
              .map(e -> sameOrConflict(e, record))
              .orElseThrow(
                  () ->
                      BotfleetException.unavailable(
                          "CONCURRENT_ENTRY",
                          "the same entry_key is being recorded concurrently; retry")),
          List.of());
    }
    Log.infof(
        "Cost %s %s USD for %s on %s",
        entry.category().guideName(),
        Money.format(entry.amountUsd()),
        entry.botId(),
        entry.incurredDate());
    if (!alerts.isEmpty()) {
      pauses.runDue(entry.botId());
      alerts = budgets.current(alerts);
    }
    return new Recorded(entry, alerts);
  }

  private Optional<CostEntry> findByKey(String key) {
    return QuarkusTransaction.requiringNew()
        .call(() -> entries.findByEntryKey(key).map(e -> e.toDomain()));
  }

  private static Map<String, Object> payload(CostEntry entry) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("agent_id", entry.botId());
    payload.put("category", entry.category().guideName());
    payload.put("amount_usd", Money.format(entry.amountUsd()));
    payload.put("description", entry.description());
    payload.put("period", entry.period());
    payload.put("incurred_date", entry.incurredDate().toString());
    return payload;
  }

  private static CostEntry sameOrConflict(CostEntry earlier, CostRecord record) {
    if (!earlier.sameAs(record)) {
      throw BotfleetException.alreadyExists(
          "ENTRY_KEY_REUSED",
          "entry_key " + record.entryKey() + " already booked a different cost",
          Map.of("entry_id", earlier.id().toString()));
    }
    return earlier;
  }
}
