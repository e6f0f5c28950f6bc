package io.botfleet.identity.service;

import io.botfleet.common.events.EventLog;
import io.botfleet.identity.config.IdentityConfig;
import io.botfleet.identity.domain.AgentIds;
import io.botfleet.identity.domain.IdentityStatus;
import io.botfleet.identity.domain.KeyStatus;
import io.botfleet.identity.domain.Kind;
import io.botfleet.identity.persistence.IdentityEntity;
import io.botfleet.identity.persistence.IdentityKeyEntity;
import io.botfleet.identity.persistence.IdentityKeyRepository;
import io.botfleet.identity.persistence.IdentityRepository;
import io.botfleet.identity.persistence.KeyFeedQueries;
import io.botfleet.signing.VerifyingKey;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * Makes the configured service keys the SERVICE identities {@code svc-<name>} at start, before the
 * key cache loads, so services can call each other from their first request. A key that changed in
 * the configuration replaces the stored one (the old version is retired).
 */
@ApplicationScoped
public class ServiceKeySeeder {

  /** The organization of botfleet's own services. */
  static final String SYSTEM_ORGANIZATION = "botfleet";

  @Inject IdentityConfig config;
  @Inject IdentityRepository identities;
  @Inject IdentityKeyRepository keys;
  @Inject KeyFeedQueries keyFeed;
  @Inject EventLog events;

  @Transactional
  void seed(@Observes @Priority(50) StartupEvent event) {
    for (String entry : config.servicePublicKeys().orElse(List.of())) {
      int colon = entry.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException(
            "botfleet.identity.service-public-keys entries are name:base64, got " + entry);
      }
      seed(
          entry.substring(0, colon).trim(),
          VerifyingKey.fromBase64(entry.substring(colon + 1).trim()));
    }
  }

  private void seed(String name, VerifyingKey key) {
    String agentId = AgentIds.forService(name);
    OffsetDateTime now = Timestamps.now();
    IdentityEntity identity = identities.findById(agentId);
    if (identity == null) {
      identity = new IdentityEntity();
      identity.id = agentId;
      identity.name = name;
      identity.organization = SYSTEM_ORGANIZATION;
      identity.kind = Kind.SERVICE;
      identity.role = "service";
      identity.capabilities = List.of();
      identity.metadata = Map.of();
      identity.status = IdentityStatus.ACTIVE;
      identity.keyVersion = 0;
      identity.createdAt = now;
      identities.persist(identity);
      events.append(
          "fleet.identity_registered",
          agentId,
          EventLog.SYSTEM,
          Map.of("agent_id", agentId, "name", name, "kind", "SERVICE", "status", "ACTIVE"));
    } else if (identity.status == IdentityStatus.REVOKED) {
      Log.errorf("Service identity %s is revoked; its configured key is ignored", agentId);
      return;
    }
    IdentityKeyEntity current =
        identity.keyVersion == 0
            ? null
            : keys.findById(new IdentityKeyEntity.Key(agentId, identity.keyVersion));
    if (current != null && VerifyingKey.fromRaw(current.publicKey).equals(key)) {
      return;
    }
    if (current != null) {
      current.status = KeyStatus.RETIRED;
      current.retiredAt = now;
      keyFeed.recordUpsert(agentId, current.keyVersion);
    }
    IdentityKeyEntity next = new IdentityKeyEntity();
    next.agentId = agentId;
    next.keyVersion = identity.keyVersion + 1;
    next.publicKey = key.raw();
    next.status = KeyStatus.CURRENT;
    next.createdAt = now;
    keys.persist(next);
    identity.keyVersion = next.keyVersion;
    keyFeed.recordUpsert(agentId, next.keyVersion);
    Log.infof("Service identity %s has key version %d", agentId, next.keyVersion);
  }
}
