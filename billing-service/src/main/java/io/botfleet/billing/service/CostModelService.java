package io.botfleet.billing.service;

import io.botfleet.billing.domain.CostModel;
import io.botfleet.billing.domain.Money;
import io.botfleet.billing.persistence.CostModelEntity;
import io.botfleet.billing.persistence.CostModelRepository;
import io.botfleet.common.auth.Caller;
import io.botfleet.common.events.EventLog;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Recurring cost models (a machine at 204 USD a month, a market-data plan at 100 USD a month).
 * Setting a model with a used name replaces it from its next unbooked day on: days already booked
 * stay as booked (a bill is history), and days the new start date uncovers are caught up.
 */
@ApplicationScoped
public class CostModelService {

  @Inject CostModelRepository models;
  @Inject BotDirectory directory;
  @Inject EventLog events;

  /** Creates or replaces (by name) a model. */
  public CostModel set(CostModel draft) {
    draft.check(LocalDate.now(ZoneOffset.UTC));
    if (draft.botId() != null && directory.knownMissing(draft.botId())) {
      throw BudgetService.botNotFound(draft.botId());
    }
    String actor = Caller.current().agentId();
    CostModel stored =
        QuarkusTransaction.requiringNew()
            .call(
                () -> {
                  OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
                  CostModelEntity row =
                      models.findByName(draft.name()).orElseGet(CostModelEntity::new);
                  boolean created = row.id == null;
                  if (created) {
                    row.id = UUID.randomUUID();
                    row.name = draft.name();
                    row.createdBy = actor;
                    row.createdAt = now;
                  }
                  row.category = draft.category();
                  row.monthlyAmountUsd = draft.monthlyAmountUsd();
                  row.botId = draft.botId();
                  row.groupName = draft.group();
                  row.fleet = draft.fleet();
                  row.split = draft.split();
                  row.startDate = draft.startDate();
                  row.endDate = draft.endDate();
                  row.updatedAt = now;
                  models.persist(row);
                  Map<String, Object> payload = new LinkedHashMap<>();
                  payload.put("model_id", row.id.toString());
                  payload.put("name", row.name);
                  payload.put("category", row.category.guideName());
                  payload.put("monthly_amount_usd", Money.format(row.monthlyAmountUsd));
                  payload.put("attached_to", row.toDomain().attachedTo());
                  payload.put("split", row.split.name().toLowerCase());
                  payload.put("start_date", row.startDate.toString());
                  payload.put("end_date", row.endDate == null ? "" : row.endDate.toString());
                  payload.put("replaced", !created);
                  events.append("fleet.cost_model_set", row.botId, actor, payload);
                  return row.toDomain();
                });
    Log.infof(
        "Cost model %s: %s USD a month for %s from %s",
        stored.name(),
        Money.format(stored.monthlyAmountUsd()),
        stored.attachedTo(),
        stored.startDate());
    return stored;
  }

  /** Every model, by name. */
  @Transactional
  public List<CostModel> list() {
    return models.byName().stream().map(CostModelEntity::toDomain).toList();
  }
}
