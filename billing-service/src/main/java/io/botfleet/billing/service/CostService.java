package io.botfleet.billing.service;

import io.botfleet.billing.domain.CostEntry;
import io.botfleet.billing.domain.CostRecord;
import io.botfleet.billing.domain.Money;
import io.botfleet.billing.persistence.CostEntryEntity;
import io.botfleet.billing.persistence.CostEntryRepository;
import io.botfleet.common.auth.Caller;
import io.botfleet.common.error.BotfleetException;
import io.botfleet.common.events.EventLog;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Booking costs. */
@ApplicationScoped
public class CostService {

  @Inject CostEntryRepository entries;
  @Inject EventLog events;

  /**
   * Books a manual cost entry. The same entry key books once: a retry returns the first entry, and
   * a different cost under a used key is ALREADY_EXISTS.
   */
  @Transactional
  public CostEntry record(CostRecord record) {
    record.check(LocalDate.now(ZoneOffset.UTC));
    var earlier = entries.findByEntryKey(record.entryKey());
    if (earlier.isPresent()) {
      return sameOrConflict(earlier.get().toDomain(), record);
    }
    CostEntryEntity row = new CostEntryEntity();
    row.id = UUID.randomUUID();
    row.botId = record.botId();
    row.category = record.category();
    row.amountUsd = record.amountUsd();
    row.description = record.description();
    row.incurredDate = record.incurredDate();
    row.recordedBy = Caller.current().agentId();
    row.recordedAt = OffsetDateTime.now(ZoneOffset.UTC);
    row.entryKey = record.entryKey();
    row.source = "manual";
    try {
      entries.persistAndFlush(row);
    } catch (PersistenceException concurrentRetry) {
      throw BotfleetException.unavailable(
          "CONCURRENT_ENTRY", "the same entry_key is being recorded concurrently; retry");
    }
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("agent_id", row.botId);
    payload.put("category", row.category.guideName());
    payload.put("amount_usd", Money.format(row.amountUsd));
    payload.put("description", row.description);
    payload.put("period", record.period());
    payload.put("incurred_date", row.incurredDate.toString());
    events.append("fleet.cost_recorded", row.botId, payload);
    Log.infof(
        "Cost %s %s USD for %s on %s",
        row.category.guideName(), Money.format(row.amountUsd), row.botId, row.incurredDate);
    return row.toDomain();
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
