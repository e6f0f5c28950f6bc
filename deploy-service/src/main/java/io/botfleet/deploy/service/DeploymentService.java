package io.botfleet.deploy.service;

import io.botfleet.common.error.BotfleetException;
import io.botfleet.common.error.InvalidArgumentException;
import io.botfleet.deploy.client.FleetClient;
import io.botfleet.deploy.domain.DeploymentDetail;
import io.botfleet.deploy.domain.DeploymentState;
import io.botfleet.deploy.domain.DeploymentSummary;
import io.botfleet.deploy.domain.VersionMap;
import io.botfleet.deploy.persistence.DeploymentBotEntity;
import io.botfleet.deploy.persistence.DeploymentBotRepository;
import io.botfleet.deploy.persistence.DeploymentEntity;
import io.botfleet.deploy.persistence.DeploymentGateEntity;
import io.botfleet.deploy.persistence.DeploymentGateRepository;
import io.botfleet.deploy.persistence.DeploymentRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reading deployments, and the fleet's version map. */
@ApplicationScoped
public class DeploymentService {

  /** A page of deployments and the position after its last one, if there are more. */
  public record Page(List<DeploymentSummary> deployments, Optional<String> nextPosition) {}

  @Inject DeploymentRepository deployments;
  @Inject DeploymentBotRepository bots;
  @Inject DeploymentGateRepository gates;
  @Inject FleetClient fleet;

  /** One deployment; NOT_FOUND if there is none. */
  @Transactional
  public DeploymentSummary get(String id) {
    return find(id).toSummary();
  }

  /** One deployment with its bots and analyses; NOT_FOUND if there is none. */
  @Transactional
  public DeploymentDetail detail(String id) {
    DeploymentEntity d = find(id);
    return new DeploymentDetail(
        d.toSummary(),
        bots.ofDeployment(id).stream().map(DeploymentBotEntity::toDomain).toList(),
        gates.ofDeployment(id).stream().map(DeploymentGateEntity::toDomain).toList());
  }

  /**
   * A page of deployments, newest first.
   *
   * @param after the position from a previous page ("" for the first)
   */
  @Transactional
  public Page list(String group, List<DeploymentState> states, int pageSize, String after) {
    OffsetDateTime afterTime = null;
    String afterId = "";
    if (!after.isEmpty()) {
      int bar = after.indexOf('|');
      try {
        afterTime = Instant.parse(after.substring(0, bar)).atOffset(ZoneOffset.UTC);
        afterId = after.substring(bar + 1);
      } catch (DateTimeParseException | StringIndexOutOfBoundsException e) {
        throw new InvalidArgumentException(
            "page_token", "is not a page token returned by this API");
      }
    }
    List<DeploymentEntity> rows = deployments.page(group, states, afterTime, afterId, pageSize + 1);
    List<DeploymentSummary> page =
        rows.stream().limit(pageSize).map(DeploymentEntity::toSummary).toList();
    Optional<String> next =
        rows.size() > pageSize
            ? Optional.of(
                page.get(page.size() - 1).createdAt() + "|" + page.get(page.size() - 1).id())
            : Optional.empty();
    return new Page(page, next);
  }

  /** Which bots run which version, in one group or ("") the whole fleet (from fleet-service). */
  public VersionMap versionMap(String group) {
    return VersionMap.of(group.isEmpty() ? fleet.listAll() : fleet.listGroup(group));
  }

  private DeploymentEntity find(String id) {
    return deployments
        .findByIdOptional(id)
        .orElseThrow(
            () ->
                BotfleetException.notFound(
                    "DEPLOYMENT_NOT_FOUND", "no deployment " + id, Map.of("deployment_id", id)));
  }
}
