package io.botfleet.identity.service;

import io.botfleet.common.error.BotfleetException;
import io.botfleet.common.events.EventLog;
import io.botfleet.common.greenhelix.Outbox;
import io.botfleet.identity.domain.AgentIds;
import io.botfleet.identity.domain.Identity;
import io.botfleet.identity.domain.IdentityStatus;
import io.botfleet.identity.domain.KeyStatus;
import io.botfleet.identity.domain.KeyVersion;
import io.botfleet.identity.domain.Kind;
import io.botfleet.identity.domain.Registration;
import io.botfleet.identity.persistence.IdentityEntity;
import io.botfleet.identity.persistence.IdentityKeyEntity;
import io.botfleet.identity.persistence.IdentityKeyRepository;
import io.botfleet.identity.persistence.IdentityRepository;
import io.botfleet.identity.persistence.KeyFeedQueries;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Registering and reading identities. */
@ApplicationScoped
public class AgentIdentityService {

  @Inject IdentityRepository identities;
  @Inject IdentityKeyRepository keys;
  @Inject KeyFeedQueries keyFeed;
  @Inject KeyFeedPublisher publisher;
  @Inject EventLog events;
  @Inject Outbox outbox;

  /**
   * Registers an identity: ACTIVE with key version 1 when it brings its public key, else
   * PENDING_ENROLLMENT. A retry with the same request id returns the first registration.
   */
  @Transactional
  public Identity register(Registration draft) {
    Registration registration = draft.withDefaults();
    registration.check();
    if (registration.requestId() != null && !registration.requestId().isEmpty()) {
      var earlier = identities.findByRequestId(registration.requestId());
      if (earlier.isPresent()) {
        if (!earlier.get().name.equals(registration.name())) {
          throw BotfleetException.alreadyExists(
              "REQUEST_ID_REUSED",
              "request_id " + registration.requestId() + " was used for another registration",
              Map.of("agent_id", earlier.get().id));
        }
        return toDomain(earlier.get());
      }
    }
    identities
        .findLiveByName(registration.organization(), registration.name())
        .ifPresent(
            existing -> {
              throw nameTaken(registration, existing.id);
            });

    IdentityEntity identity = newEntity(registration);
    try {
      identities.persistAndFlush(identity);
    } catch (PersistenceException e) {
      // Another registration of the same name committed between the check and the insert.
      throw nameTaken(registration, "");
    }
    if (registration.publicKey() != null) {
      IdentityKeyEntity key = new IdentityKeyEntity();
      key.agentId = identity.id;
      key.keyVersion = 1;
      key.publicKey = registration.publicKey().raw();
      key.status = KeyStatus.CURRENT;
      key.createdAt = identity.createdAt;
      keys.persist(key);
      keyFeed.recordUpsert(identity.id, 1);
      publisher.announce();
    }
    events.append("fleet.identity_registered", identity.id, registeredPayload(identity));
    if (identity.kind == Kind.BOT) {
      outbox.enqueue(identity.id, "register_agent", registerAgentInput(identity, registration));
    }
    Log.infof(
        "Registered %s %s (%s) in %s, %s",
        identity.kind, identity.name, identity.id, identity.organization, identity.status);
    return identity.toDomain(registration.publicKey());
  }

  /** The identity of an agent id; NOT_FOUND if there is none. */
  @Transactional
  public Identity get(String agentId) {
    return identities
        .findByIdOptional(agentId)
        .map(this::toDomain)
        .orElseThrow(
            () ->
                BotfleetException.notFound(
                    "IDENTITY_NOT_FOUND", "no identity " + agentId, Map.of("agent_id", agentId)));
  }

  /** Every key version of an identity, oldest first. */
  @Transactional
  public List<KeyVersion> keysOf(String agentId) {
    return keys.listFor(agentId).stream().map(IdentityKeyEntity::toDomain).toList();
  }

  private Identity toDomain(IdentityEntity entity) {
    IdentityKeyEntity current =
        entity.keyVersion == 0
            ? null
            : keys.findById(new IdentityKeyEntity.Key(entity.id, entity.keyVersion));
    return entity.toDomain(current == null ? null : current.toDomain().publicKey());
  }

  private static IdentityEntity newEntity(Registration r) {
    IdentityEntity identity = new IdentityEntity();
    identity.id =
        r.kind() == Kind.SERVICE ? AgentIds.forService(r.name()) : AgentIds.newId(r.kind());
    identity.name = r.name();
    identity.organization = r.organization();
    identity.kind = r.kind();
    identity.operatorRole = r.operatorRole();
    identity.role = r.role();
    identity.fleetManager = blankToNull(r.fleetManager());
    identity.group = blankToNull(r.group());
    identity.exchange = blankToNull(r.exchange());
    identity.strategy = blankToNull(r.strategy());
    identity.version = blankToNull(r.version());
    identity.capabilities = List.copyOf(r.capabilities());
    identity.maxPositionUsd = r.maxPositionUsd();
    identity.metadata = Map.copyOf(r.metadata());
    identity.description = blankToNull(r.description());
    identity.status =
        r.publicKey() == null ? IdentityStatus.PENDING_ENROLLMENT : IdentityStatus.ACTIVE;
    identity.keyVersion = r.publicKey() == null ? 0 : 1;
    identity.requestId = blankToNull(r.requestId());
    identity.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
    return identity;
  }

  private static Map<String, Object> registeredPayload(IdentityEntity identity) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("agent_id", identity.id);
    payload.put("name", identity.name);
    payload.put("kind", identity.kind.name());
    payload.put("organization", identity.organization);
    payload.put("status", identity.status.name());
    if (identity.group != null) {
      payload.put("group", identity.group);
    }
    return payload;
  }

  /** The guide's register_agent input for a bot. */
  private static Map<String, Object> registerAgentInput(IdentityEntity identity, Registration r) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("role", identity.role);
    metadata.put("organization", identity.organization);
    putIfPresent(metadata, "fleet_manager", identity.fleetManager);
    putIfPresent(metadata, "group", identity.group);
    putIfPresent(metadata, "exchange", identity.exchange);
    putIfPresent(metadata, "strategy", identity.strategy);
    putIfPresent(metadata, "version", identity.version);
    if (identity.maxPositionUsd != null) {
      metadata.put("max_position_usd", identity.maxPositionUsd);
    }
    if (r.publicKey() != null) {
      metadata.put("public_key", r.publicKey().base64());
      metadata.put("key_algorithm", "ed25519");
    }
    String description =
        identity.description != null
            ? identity.description
            : "Trading bot: "
                + nullToDash(identity.strategy)
                + " on "
                + nullToDash(identity.exchange)
                + ". Part of "
                + nullToDash(identity.group)
                + " group in "
                + identity.organization
                + " fleet.";
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("name", identity.name);
    input.put("description", description);
    input.put("capabilities", identity.capabilities);
    input.put("metadata", metadata);
    return input;
  }

  private static BotfleetException nameTaken(Registration r, String existingId) {
    return BotfleetException.alreadyExists(
        "IDENTITY_EXISTS",
        "an identity named " + r.name() + " exists in " + r.organization(),
        existingId.isEmpty()
            ? Map.of("name", r.name(), "organization", r.organization())
            : Map.of("name", r.name(), "organization", r.organization(), "agent_id", existingId));
  }

  private static void putIfPresent(Map<String, Object> map, String key, String value) {
    if (value != null) {
      map.put(key, value);
    }
  }

  private static String nullToDash(String value) {
    return value == null ? "-" : value;
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
