package io.botfleet.billing.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.UUID;

/** Budgets of bots and groups. */
@ApplicationScoped
public class BudgetRepository implements PanacheRepositoryBase<BudgetEntity, UUID> {

  /** A bot's own budget. */
  public Optional<BudgetEntity> findForBot(String botId) {
    return find("botId", botId).firstResultOptional();
  }

  /** A group's default budget. */
  public Optional<BudgetEntity> findForGroup(String group) {
    return find("groupName", group).firstResultOptional();
  }
}
