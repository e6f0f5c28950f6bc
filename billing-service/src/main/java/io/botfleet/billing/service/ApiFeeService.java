package io.botfleet.billing.service;

import io.botfleet.billing.client.AuditClient;
import io.botfleet.billing.config.BillingConfig;
import io.botfleet.billing.domain.AgentUsage;
import io.botfleet.billing.domain.BotInfo;
import io.botfleet.billing.domain.CostCategory;
import io.botfleet.billing.domain.CostEntry;
import io.botfleet.billing.domain.Money;
import io.botfleet.billing.persistence.JobRecords;
import io.botfleet.common.error.BotfleetException;
import io.botfleet.common.events.AuditLog;
import io.botfleet.common.events.EventLog;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * GreenHelix API fees: the calls each service's outbox actually delivered on a day, per agent,
 * times the configured price per call, booked as api_fees of that day once per day and service.
 * Calls for a bot are charged to it; calls for anyone else (the fleet manager, a service) are fleet
 * overhead, booked as unallocated. A service that does not answer is asked again at the next run.
 */
@ApplicationScoped
public class ApiFeeService {

  /** Every botfleet service whose outbox calls GreenHelix, billing included. */
  public static final List<String> SERVICES =
      List.of("fleet", "identity", "permission", "health", "deploy", "billing");

  @Inject AuditClient audit;
  @Inject AuditLog ownUsage;
  @Inject JobRecords records;
  @Inject BotDirectory directory;
  @Inject CostBooking booking;
  @Inject EventLog events;
  @Inject BillingConfig config;

  /** Books the fees of every closed day in the window not booked yet. Returns (day, service)s. */
  public int book(LocalDate from, LocalDate closedThrough) {
    int booked = 0;
    for (LocalDate day = from; !day.isAfter(closedThrough); day = day.plusDays(1)) {
      LocalDate date = day;
      Set<String> done =
          QuarkusTransaction.requiringNew().call(() -> records.apiFeeServicesBooked(date));
      for (String service : SERVICES) {
        if (done.contains(service)) {
          continue;
        }
        try {
          if (bookDay(date, service)) {
            booked++;
          }
        } catch (BotfleetException e) {
          Log.warnf(
              "API fees of %s on %s not booked yet, retried at the next run: %s",
              service, date, e.getMessage());
        }
      }
    }
    return booked;
  }

  private boolean bookDay(LocalDate day, String service) {
    List<AgentUsage> usage =
        service.equals("billing")
            ? QuarkusTransaction.requiringNew()
                .call(
                    () ->
                        ownUsage
                            .greenHelixUsage(
                                day.atStartOfDay().atOffset(ZoneOffset.UTC),
                                day.plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC))
                            .stream()
                            .map(u -> new AgentUsage(u.agentId(), u.tool(), u.calls()))
                            .toList())
            : audit.usage(service, day);
    Map<String, Long> callsByAgent = new TreeMap<>();
    Map<String, Map<String, Long>> tools = new TreeMap<>();
    for (AgentUsage u : usage) {
      callsByAgent.merge(u.agentId(), u.calls(), Long::sum);
      tools
          .computeIfAbsent(u.agentId(), a -> new TreeMap<>())
          .merge(u.tool(), u.calls(), Long::sum);
    }
    BigDecimal price = config.greenhelixPricePerCall();
    List<CostEntry> entries = new ArrayList<>();
    long calls = 0;
    BigDecimal total = BigDecimal.ZERO;
    for (Map.Entry<String, Long> agent : callsByAgent.entrySet()) {
      Optional<BotInfo> bot = directory.lookup(agent.getKey());
      BigDecimal amount = price.multiply(BigDecimal.valueOf(agent.getValue()));
      calls += agent.getValue();
      total = total.add(amount);
      if (amount.signum() == 0) {
        continue;
      }
      String botId = bot.map(BotInfo::id).orElse(BotInfo.UNALLOCATED);
      entries.add(
          new CostEntry(
              UUID.randomUUID(),
              botId,
              bot.map(BotInfo::name).orElse(BotInfo.UNALLOCATED),
              CostCategory.API_FEES,
              amount,
              "GreenHelix: "
                  + agent.getValue()
                  + " calls for "
                  + agent.getKey()
                  + " delivered by "
                  + service
                  + "-service on "
                  + day
                  + " at "
                  + price.toPlainString()
                  + " USD "
                  + tools.get(agent.getKey()),
              day,
              EventLog.SYSTEM,
              Instant.now(),
              "api_fees:" + day + ":" + service + ":" + agent.getKey(),
              "greenhelix_usage",
              null,
              null));
    }
    long allCalls = calls;
    BigDecimal amount = total;
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              if (!records.markApiFeesBooked(day, service, allCalls, amount)) {
                return false;
              }
              booking.book(entries, EventLog.SYSTEM);
              if (allCalls > 0) {
                Map<String, Object> payload = new LinkedHashMap<>();
                payload.put("date", day.toString());
                payload.put("service", service);
                payload.put("calls", allCalls);
                payload.put("amount_usd", Money.format(amount));
                events.append("fleet.api_fees_booked", null, EventLog.SYSTEM, payload);
              }
              return true;
            });
  }
}
