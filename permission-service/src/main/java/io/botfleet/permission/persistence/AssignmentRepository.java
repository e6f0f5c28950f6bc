package io.botfleet.permission.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Assignments. */
@ApplicationScoped
public class AssignmentRepository implements PanacheRepositoryBase<AssignmentEntity, String> {

  private static final int IN_LIST = 1000;

  /** The assignment of a bot, locked for update until the transaction ends. */
  public Optional<AssignmentEntity> findForUpdate(String agentId) {
    return findByIdOptional(agentId, LockModeType.PESSIMISTIC_WRITE);
  }

  /** The assignments of these bots (those that have one), read in slices of a thousand. */
  public List<AssignmentEntity> findAll(Collection<String> agentIds) {
    List<String> ids = List.copyOf(agentIds);
    List<AssignmentEntity> found = new ArrayList<>();
    for (int from = 0; from < ids.size(); from += IN_LIST) {
      found.addAll(list("agentId in ?1", ids.subList(from, Math.min(ids.size(), from + IN_LIST))));
    }
    return found;
  }

  /** The agent an AssignPermissions request id was used for. */
  public Optional<String> agentOfRequest(String requestId) {
    return getEntityManager()
        .createNativeQuery("select agent_id from assignment_requests where request_id = :id")
        .setParameter("id", requestId)
        .getResultStream()
        .map(String.class::cast)
        .findFirst();
  }

  /** Remembers an AssignPermissions request id. */
  public void recordRequest(String requestId, String agentId) {
    getEntityManager()
        .createNativeQuery(
            "insert into assignment_requests (request_id, agent_id) values (:id, :agent)")
        .setParameter("id", requestId)
        .setParameter("agent", agentId)
        .executeUpdate();
  }
}
