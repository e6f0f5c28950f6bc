package io.botfleet.identity.service;

import io.botfleet.common.events.EventLog;
import io.botfleet.identity.domain.Kind;
import io.botfleet.identity.greenhelix.IdentityRegistry;
import io.botfleet.identity.persistence.IdentityEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;

/**
 * Records an identity event in the audit trail and, for bots, publishes it to GreenHelix through
 * the outbox: both in the transaction of the change, so they happen exactly when it commits.
 */
@ApplicationScoped
public class IdentityEvents {

  @Inject EventLog events;
  @Inject IdentityRegistry registry;

  /**
   * Records {@code type} about {@code subject}.
   *
   * @param actor agent id of who caused it, or {@code system}
   */
  public void record(IdentityEntity subject, String type, String actor, Map<String, ?> payload) {
    events.append(type, subject.id, actor, payload);
    if (subject.kind == Kind.BOT) {
      registry.publishEvent(subject, type, payload);
    }
  }
}
