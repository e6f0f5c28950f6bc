package io.botfleet.billing.service;

import io.botfleet.billing.domain.CostCategory;
import io.botfleet.billing.persistence.CostEntryRepository;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The Prometheus gauge the Helm chart's dashboard reads (docs/kubernetes.md, "Metrics"): {@code
 * botfleet_billing_cost_today_usd{category}}, the fleet's costs booked to today (UTC). Read from
 * the database on a schedule, never on the scrape, so a scrape never waits on PostgreSQL; every
 * replica reports the same fleet-wide value. A gauge is a double: fine for a chart, never for a
 * bill.
 */
@ApplicationScoped
public class CostGauges {

  @Inject MeterRegistry registry;
  @Inject CostEntryRepository entries;

  private final Map<CostCategory, AtomicReference<Double>> today =
      new EnumMap<>(CostCategory.class);

  void register(@Observes StartupEvent event) {
    for (CostCategory category : CostCategory.values()) {
      AtomicReference<Double> value = new AtomicReference<>(0.0);
      today.put(category, value);
      Gauge.builder("botfleet.billing.cost.today.usd", value, AtomicReference::get)
          .description("Costs booked to today (UTC), all bots, USD")
          .tag("category", category.guideName())
          .strongReference(true)
          .register(registry);
    }
  }

  /** Re-reads today's costs. */
  @Scheduled(every = "${botfleet.billing.gauge-refresh:30s}", delayed = "5s")
  public void refresh() {
    try {
      LocalDate day = LocalDate.now(ZoneOffset.UTC);
      Map<CostCategory, BigDecimal> sums =
          QuarkusTransaction.requiringNew().call(() -> entries.fleetByCategory(day, day));
      today.forEach(
          (category, value) ->
              value.set(sums.getOrDefault(category, BigDecimal.ZERO).doubleValue()));
    } catch (RuntimeException e) {
      Log.debugf("Cost gauges not refreshed: %s", e.getMessage());
    }
  }
}
