package io.botfleet.billing.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** Cost models and the days they have been accrued on. */
@ApplicationScoped
public class CostModelRepository implements PanacheRepositoryBase<CostModelEntity, UUID> {

  /** The model of a name. */
  public Optional<CostModelEntity> findByName(String name) {
    return find("name", name).firstResultOptional();
  }

  /** Every model, by name. */
  public List<CostModelEntity> byName() {
    return list("order by name");
  }

  /** The days between {@code from} and {@code to} already booked for a model. */
  @SuppressWarnings("unchecked")
  public Set<LocalDate> accruedDays(UUID modelId, LocalDate from, LocalDate to) {
    List<Object> days =
        getEntityManager()
            .createNativeQuery(
                "select day from cost_model_accruals where model_id = :id"
                    + " and day between :from and :to")
            .setParameter("id", modelId)
            .setParameter("from", from)
            .setParameter("to", to)
            .getResultList();
    return days.stream()
        .map(d -> d instanceof Date date ? date.toLocalDate() : (LocalDate) d)
        .collect(Collectors.toSet());
  }

  /**
   * Marks a day booked. False if another booking got there first (the caller then rolls back, so a
   * day is never booked twice).
   */
  public boolean markAccrued(UUID modelId, LocalDate day, BigDecimal amount, int bots) {
    return getEntityManager()
            .createNativeQuery(
                "insert into cost_model_accruals (model_id, day, amount_usd, bots)"
                    + " values (:id, :day, :amount, :bots) on conflict do nothing")
            .setParameter("id", modelId)
            .setParameter("day", day)
            .setParameter("amount", amount)
            .setParameter("bots", bots)
            .executeUpdate()
        == 1;
  }
}
