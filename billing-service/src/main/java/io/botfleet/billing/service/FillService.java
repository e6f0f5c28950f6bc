package io.botfleet.billing.service;

import io.botfleet.billing.domain.BotInfo;
import io.botfleet.billing.domain.BudgetAlert;
import io.botfleet.billing.domain.CostCategory;
import io.botfleet.billing.domain.CostEntry;
import io.botfleet.billing.domain.Fill;
import io.botfleet.billing.domain.FillInput;
import io.botfleet.billing.domain.FillReport;
import io.botfleet.billing.domain.Money;
import io.botfleet.billing.persistence.FillRepository;
import io.botfleet.common.events.EventLog;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Fills reported by a bot: each checked on its own (a malformed one is refused with its field
 * named, the others are booked), stored once per bot, exchange and fill id, and its exchange fee
 * booked exactly as an exchange_fees entry on the day it executed.
 */
@ApplicationScoped
public class FillService {

  @Inject FillRepository fills;
  @Inject CostBooking booking;
  @Inject BotDirectory directory;
  @Inject BudgetPauseService pauses;
  @Inject EventLog events;

  /** Books one message of a bot's fill stream. Call outside a transaction. */
  public FillReport report(String botId, List<FillInput> inputs) {
    Instant now = Instant.now();
    List<FillReport.Rejection> rejected = new ArrayList<>();
    List<Fill> checked = new ArrayList<>();
    Set<String> inMessage = new HashSet<>();
    int duplicates = 0;
    for (FillInput input : inputs) {
      Fill.Check check = Fill.check(input, now);
      if (!check.ok()) {
        rejected.add(new FillReport.Rejection(input.fillId(), check.field(), check.problem()));
      } else if (!inMessage.add(check.fill().exchange() + "|" + check.fill().fillId())) {
        duplicates++;
      } else {
        checked.add(check.fill());
      }
    }
    if (checked.isEmpty()) {
      return new FillReport(0, duplicates, rejected, BigDecimal.ZERO);
    }
    Optional<String> name = directory.lookupQuietly(botId).map(BotInfo::name);
    record Outcome(int accepted, int duplicates, BigDecimal fees, List<BudgetAlert> alerts) {}
    List<FillReport.Rejection> conflicts = new ArrayList<>();
    Outcome outcome =
        QuarkusTransaction.requiringNew()
            .call(
                () -> {
                  conflicts.clear();
                  List<Boolean> isNew = fills.insertNew(botId, checked);
                  List<Fill> booked = new ArrayList<>();
                  List<Fill> seen = new ArrayList<>();
                  for (int i = 0; i < checked.size(); i++) {
                    (isNew.get(i) ? booked : seen).add(checked.get(i));
                  }
                  int dup = 0;
                  Map<String, BigDecimal> stored = fills.storedFees(botId, seen);
                  for (Fill fill : seen) {
                    BigDecimal fee = stored.get(fill.exchange() + "|" + fill.fillId());
                    if (fee == null || fill.sameFeeAs(fee)) {
                      dup++;
                    } else {
                      conflicts.add(
                          new FillReport.Rejection(
                              fill.fillId(),
                              "fill_id",
                              "already booked on "
                                  + fill.exchange()
                                  + " with fee_usd "
                                  + Money.format(fee)
                                  + "; a fill is booked once"));
                    }
                  }
                  BigDecimal fees = BigDecimal.ZERO;
                  List<CostEntry> entries = new ArrayList<>();
                  for (Fill fill : booked) {
                    fees = fees.add(fill.feeUsd());
                    if (fill.feeUsd().signum() != 0) {
                      entries.add(toEntry(botId, name.orElse(null), fill));
                    }
                  }
                  List<BudgetAlert> alerts = booking.book(entries, botId);
                  Map<String, Object> payload = new LinkedHashMap<>();
                  payload.put("agent_id", botId);
                  payload.put("accepted", booked.size());
                  payload.put("duplicates", dup);
                  payload.put("fees_usd", Money.format(fees));
                  if (!booked.isEmpty()) {
                    events.append("fleet.fills_reported", botId, botId, payload);
                  }
                  return new Outcome(booked.size(), dup, fees, alerts);
                });
    rejected.addAll(conflicts);
    if (!outcome.alerts().isEmpty()) {
      pauses.runDue(botId);
    }
    Log.debugf(
        "Fills of %s: %d booked, %d duplicates, %d refused",
        botId, outcome.accepted(), duplicates + outcome.duplicates(), rejected.size());
    return new FillReport(
        outcome.accepted(), duplicates + outcome.duplicates(), rejected, outcome.fees());
  }

  private static CostEntry toEntry(String botId, String botName, Fill fill) {
    return new CostEntry(
        UUID.randomUUID(),
        botId,
        botName,
        CostCategory.EXCHANGE_FEES,
        fill.feeUsd(),
        fill.describe(),
        fill.incurredDate(),
        EventLog.SYSTEM,
        Instant.now(),
        "fill:" + botId + ":" + fill.exchange() + ":" + fill.fillId(),
        "fill",
        fill.exchange(),
        null);
  }
}
