package io.botfleet.deploy.service;

import io.botfleet.common.error.BotfleetException;
import io.botfleet.common.error.InvalidArgumentException;
import io.botfleet.deploy.client.FleetClient;
import io.botfleet.deploy.client.HealthClient;
import io.botfleet.deploy.domain.BotDeploymentState;
import io.botfleet.deploy.domain.CanaryChoice;
import io.botfleet.deploy.domain.DeploymentIds;
import io.botfleet.deploy.domain.DeploymentRequest;
import io.botfleet.deploy.domain.FleetBot;
import io.botfleet.deploy.domain.RolloutPlan;
import io.botfleet.deploy.greenhelix.DeploymentEvents;
import io.botfleet.deploy.persistence.DeploymentBotEntity;
import io.botfleet.deploy.persistence.DeploymentBotRepository;
import io.botfleet.deploy.persistence.DeploymentEntity;
import io.botfleet.deploy.persistence.DeploymentRepository;
import io.botfleet.deploy.persistence.PlanJson;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * CreateDeployment: resolves the selected bots from fleet-service, builds the plan, chooses the
 * canary (the least to lose: lowest PnL today), assigns every bot its batch and records its
 * previous version, all in one transaction that also refuses a second active deployment on the same
 * group or bots. The driver takes it from there.
 */
@ApplicationScoped
public class DeploymentCreation {

  @Inject DeploymentRepository deployments;
  @Inject DeploymentBotRepository bots;
  @Inject FleetClient fleet;
  @Inject HealthClient health;
  @Inject DeploymentJournal journal;
  @Inject EntityManager entityManager;
  @Inject Clock clock;

  /** Creates and starts a deployment, or returns the one created with the same request id. */
  public String create(DeploymentRequest r) {
    Optional<String> earlier =
        QuarkusTransaction.requiringNew()
            .call(() -> deployments.findByRequestId(r.requestId()).map(d -> d.id));
    if (earlier.isPresent()) {
      return earlier.get();
    }
    List<FleetBot> selected = resolve(r);
    if (selected.isEmpty()) {
      throw BotfleetException.failedPrecondition(
          "NO_BOTS_SELECTED",
          "the selector matches no bot of the fleet",
          r.selector().isGroup() ? Map.of("group", r.selector().group()) : Map.of());
    }
    List<FleetBot> toUpdate =
        selected.stream().filter(b -> !b.standby() && !b.version().equals(r.version())).toList();
    if (toUpdate.isEmpty()) {
      throw BotfleetException.failedPrecondition(
          "VERSION_ALREADY_DEPLOYED",
          "every selected bot already runs " + r.version() + " (or is a standby)",
          Map.of("version", r.version()));
    }
    RolloutPlan plan =
        r.steps().isEmpty()
            ? RolloutPlan.defaults(r.strategy(), r.parameters(), toUpdate.size())
            : RolloutPlan.custom(r.steps(), r.parameters());
    plan.problem(toUpdate.size())
        .ifPresent(
            p -> {
              throw new InvalidArgumentException("steps", p);
            });
    int canaries = plan.canaryCount(toUpdate.size());
    Map<String, BigDecimal> pnl =
        canaries == 0
            ? Map.of()
            : health.pnlToday(
                toUpdate.stream().map(FleetBot::id).toList(),
                LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC));
    List<FleetBot> ordered;
    try {
      ordered = CanaryChoice.order(toUpdate, pnl, canaries);
    } catch (IllegalArgumentException e) {
      throw BotfleetException.failedPrecondition(
          "NO_ACTIVE_BOT_FOR_CANARY", e.getMessage(), Map.of());
    }
    Map<String, Integer> batches = plan.assign(ordered.stream().map(FleetBot::id).toList());
    Set<String> groups =
        selected.stream().map(FleetBot::group).collect(Collectors.toCollection(TreeSet::new));
    String group =
        r.selector().isGroup()
            ? r.selector().group()
            : groups.size() == 1 ? groups.iterator().next() : null;
    OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
    String id = DeploymentIds.of(r.version(), group == null ? "bots" : group, now.toInstant());
    FleetBot canary = canaries > 0 ? ordered.get(0) : null;
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              lockCreations();
              Optional<DeploymentEntity> raced = deployments.findByRequestId(r.requestId());
              if (raced.isPresent()) {
                return raced.get().id;
              }
              List<String> conflicts =
                  deployments.conflicting(groups, selected.stream().map(FleetBot::id).toList());
              if (!conflicts.isEmpty()) {
                throw BotfleetException.failedPrecondition(
                    "DEPLOYMENT_IN_PROGRESS",
                    "deployment "
                        + conflicts.get(0)
                        + " is still active on "
                        + String.join(", ", groups)
                        + ": a group has one active deployment at a time",
                    Map.of("deployment_id", conflicts.get(0), "group", String.join(",", groups)));
              }
              DeploymentEntity d = new DeploymentEntity();
              d.id = id;
              d.version = r.version();
              d.artifactRef = r.artifactRef();
              d.group = group;
              d.selector = PlanJson.write(r.selector());
              d.strategy = r.strategy();
              d.parameters = PlanJson.write(r.parameters().withDefaults());
              d.steps = PlanJson.write(plan);
              d.currentStep = 0;
              d.state = plan.stateAt(0);
              d.canaryBotId = canary == null ? null : canary.id();
              d.canaryBotName = canary == null ? null : canary.name();
              d.requestedBy = r.requestedBy();
              d.requestId = r.requestId();
              d.createdAt = now;
              d.startedAt = now;
              d.stepStartedAt = now;
              d.updatedAt = now;
              deployments.persist(d);
              persistBots(d, selected, ordered, batches, now);
              entityManager.flush();
              journal.event(
                  d,
                  DeploymentEvents.STARTED,
                  r.requestedBy(),
                  "started: "
                      + r.strategy().name().toLowerCase(Locale.ROOT)
                      + " of "
                      + r.version()
                      + " to "
                      + toUpdate.size()
                      + " bot(s)"
                      + (canary == null ? "" : ", canary " + canary.name()),
                  DeploymentTransitions.fields(
                      "strategy", r.strategy().name().toLowerCase(Locale.ROOT),
                      "canary_bot", canary == null ? "" : canary.id(),
                      "canary_bot_name", canary == null ? "" : canary.name(),
                      "bots", toUpdate.size(),
                      "artifact_ref", r.artifactRef()));
              return d.id;
            });
  }

  private void persistBots(
      DeploymentEntity d,
      List<FleetBot> selected,
      List<FleetBot> ordered,
      Map<String, Integer> batches,
      OffsetDateTime now) {
    Map<String, Optional<String>> artifacts = new HashMap<>();
    List<FleetBot> all = new ArrayList<>(ordered);
    selected.stream()
        .filter(b -> !batches.containsKey(b.id()))
        .sorted(Comparator.comparing(FleetBot::name))
        .forEach(all::add);
    int position = 0;
    for (FleetBot b : all) {
      DeploymentBotEntity row = new DeploymentBotEntity();
      row.deploymentId = d.id;
      row.botId = b.id();
      row.botName = b.name();
      row.botGroup = b.group();
      row.position = position++;
      row.previousVersion = b.version();
      row.previousArtifactRef =
          artifacts.computeIfAbsent(b.version(), deployments::artifactOf).orElse(null);
      Integer batch = batches.get(b.id());
      row.batch = batch == null ? -1 : batch;
      row.state = batch == null ? BotDeploymentState.SKIPPED : BotDeploymentState.WAITING;
      row.message =
          batch != null
              ? null
              : b.standby()
                  ? "a standby sends no heartbeats to confirm an update"
                  : "already runs " + d.version;
      row.updatedAt = now;
      bots.persist(row);
    }
  }

  private List<FleetBot> resolve(DeploymentRequest r) {
    if (r.selector().isGroup()) {
      return fleet.listGroup(r.selector().group()).stream()
          .filter(b -> !b.status().gone())
          .toList();
    }
    List<FleetBot> found = new ArrayList<>();
    List<InvalidArgumentException.FieldViolation> unknown = new ArrayList<>();
    List<String> ids = r.selector().botIds();
    for (int i = 0; i < ids.size(); i++) {
      Optional<FleetBot> bot = fleet.findBot(ids.get(i));
      String field = "selector.scope.bots.bot_ids[" + i + "]";
      if (bot.isEmpty()) {
        unknown.add(
            new InvalidArgumentException.FieldViolation(
                field, "no bot " + ids.get(i) + " in the fleet"));
      } else if (bot.get().status().gone()) {
        unknown.add(
            new InvalidArgumentException.FieldViolation(
                field, "bot " + bot.get().name() + " has left the fleet"));
      } else {
        found.add(bot.get());
      }
    }
    if (!unknown.isEmpty()) {
      throw new InvalidArgumentException(unknown);
    }
    return found;
  }

  /** Serializes creations (and rollbacks of ended deployments) so conflict checks cannot race. */
  void lockCreations() {
    entityManager
        .createNativeQuery(
            "select count(*) from (select pg_advisory_xact_lock(hashtext('deploy:create'))) l")
        .getSingleResult();
  }
}
