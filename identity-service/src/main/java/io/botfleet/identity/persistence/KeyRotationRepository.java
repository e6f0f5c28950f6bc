package io.botfleet.identity.persistence;

import io.botfleet.identity.domain.RotationState;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Key rotations. */
@ApplicationScoped
public class KeyRotationRepository implements PanacheRepositoryBase<KeyRotationEntity, UUID> {

  private static final List<RotationState> IN_PROGRESS =
      List.of(RotationState.AWAITING_KEY, RotationState.AWAITING_CONFIRMATION);

  /** The rotation of an identity that is in progress, if any. */
  public Optional<KeyRotationEntity> findInProgress(String agentId) {
    return find("agentId = ?1 and state in ?2", agentId, IN_PROGRESS).firstResultOptional();
  }

  /** The rotations in progress of several identities, by agent id. */
  public Map<String, KeyRotationEntity> findInProgress(Collection<String> agentIds) {
    if (agentIds.isEmpty()) {
      return Map.of();
    }
    return find("agentId in ?1 and state in ?2", agentIds, IN_PROGRESS).stream()
        .collect(Collectors.toMap(r -> r.agentId, Function.identity()));
  }

  /** Agent ids whose rotation in progress is past its deadline, earliest deadline first. */
  public List<String> agentsPastDeadline(OffsetDateTime now, int limit) {
    return find("state in ?1 and deadlineAt <= ?2 order by deadlineAt", IN_PROGRESS, now)
        .page(0, limit)
        .stream()
        .map(r -> r.agentId)
        .toList();
  }
}
