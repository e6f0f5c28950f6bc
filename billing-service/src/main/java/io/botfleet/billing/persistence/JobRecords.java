package io.botfleet.billing.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.math.BigDecimal;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** What the daily jobs have booked: API fees per day and service, metrics per day. */
@ApplicationScoped
public class JobRecords {

  @Inject EntityManager entityManager;

  /** The services whose API fees of {@code day} are booked. */
  @SuppressWarnings("unchecked")
  public Set<String> apiFeeServicesBooked(LocalDate day) {
    List<String> services =
        entityManager
            .createNativeQuery("select service from api_fee_days where day = :day")
            .setParameter("day", day)
            .getResultList();
    return Set.copyOf(services);
  }

  /** Marks a service's API fees of a day booked; false if another booking got there first. */
  public boolean markApiFeesBooked(LocalDate day, String service, long calls, BigDecimal amount) {
    return entityManager
            .createNativeQuery(
                "insert into api_fee_days (day, service, calls, amount_usd)"
                    + " values (:day, :service, :calls, :amount) on conflict do nothing")
            .setParameter("day", day)
            .setParameter("service", service)
            .setParameter("calls", calls)
            .setParameter("amount", amount)
            .executeUpdate()
        == 1;
  }

  /** The days between {@code from} and {@code to} whose metrics went out. */
  @SuppressWarnings("unchecked")
  public Set<LocalDate> metricDays(LocalDate from, LocalDate to) {
    List<Object> days =
        entityManager
            .createNativeQuery("select day from metric_days where day between :from and :to")
            .setParameter("from", from)
            .setParameter("to", to)
            .getResultList();
    return days.stream()
        .map(d -> d instanceof Date date ? date.toLocalDate() : (LocalDate) d)
        .collect(Collectors.toSet());
  }

  /** Marks a day's metrics sent; false if another replica did it first. */
  public boolean markMetricsSent(LocalDate day, int bots) {
    return entityManager
            .createNativeQuery(
                "insert into metric_days (day, bots) values (:day, :bots) on conflict do nothing")
            .setParameter("day", day)
            .setParameter("bots", bots)
            .executeUpdate()
        == 1;
  }

  /** The first day metrics are sent for (the installation day). */
  public LocalDate metricsSince() {
    Object value =
        entityManager
            .createNativeQuery("select value from job_state where name = 'metrics_since'")
            .getSingleResult();
    return LocalDate.parse((String) value);
  }
}
