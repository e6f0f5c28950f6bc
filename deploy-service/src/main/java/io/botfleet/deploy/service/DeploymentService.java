package io.botfleet.deploy.service;

import io.botfleet.common.error.BotfleetException;
import io.botfleet.common.error.InvalidArgumentException;
import io.botfleet.deploy.domain.DeploymentState;
import io.botfleet.deploy.domain.DeploymentSummary;
import io.botfleet.deploy.persistence.DeploymentEntity;
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

/** Reading deployments. */
@ApplicationScoped
public class DeploymentService {

  /** A page of deployments and the position after its last one, if there are more. */
  public record Page(List<DeploymentSummary> deployments, Optional<String> nextPosition) {}

  @Inject DeploymentRepository deployments;

  /** One deployment; NOT_FOUND if there is none. */
  @Transactional
  public DeploymentSummary get(String id) {
    return deployments
        .findByIdOptional(id)
        .map(DeploymentEntity::toSummary)
        .orElseThrow(
            () ->
                BotfleetException.notFound(
                    "DEPLOYMENT_NOT_FOUND", "no deployment " + id, Map.of("deployment_id", id)));
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
}
