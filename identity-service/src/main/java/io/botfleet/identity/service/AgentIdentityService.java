package io.botfleet.identity.service;

import io.botfleet.common.auth.Caller;
import io.botfleet.common.error.BotfleetException;
import io.botfleet.common.events.EventLog;
import io.botfleet.identity.config.IdentityConfig;
import io.botfleet.identity.domain.AgentIds;
import io.botfleet.identity.domain.Identity;
import io.botfleet.identity.domain.IdentityFilter;
import io.botfleet.identity.domain.IdentityStatus;
import io.botfleet.identity.domain.KeyStatus;
import io.botfleet.identity.domain.KeyVersion;
import io.botfleet.identity.domain.Kind;
import io.botfleet.identity.domain.Page;
import io.botfleet.identity.domain.Registration;
import io.botfleet.identity.greenhelix.IdentityRegistry;
import io.botfleet.identity.persistence.IdentityEntity;
import io.botfleet.identity.persistence.IdentityKeyEntity;
import io.botfleet.identity.persistence.IdentityKeyRepository;
import io.botfleet.identity.persistence.IdentityRepository;
import io.botfleet.identity.persistence.KeyFeedQueries;
import io.botfleet.identity.persistence.KeyRotationEntity;
import io.botfleet.identity.persistence.KeyRotationRepository;
import io.botfleet.signing.VerifyingKey;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Registering and reading identities. */
@ApplicationScoped
public class AgentIdentityService {

  @Inject IdentityRepository identities;
  @Inject IdentityKeyRepository keys;
  @Inject KeyRotationRepository rotations;
  @Inject KeyFeedQueries keyFeed;
  @Inject KeyFeedPublisher publisher;
  @Inject EventLog events;
  @Inject IdentityRegistry registry;
  @Inject IdentityConfig config;

  /**
   * Registers an identity: ACTIVE with key version 1 when it brings its public key, else
   * PENDING_ENROLLMENT. A retry with the same request id returns the first registration.
   */
  @Transactional
  public Identity register(Registration draft) {
    return register(draft, Caller.agentIdOrAnonymous());
  }

  /**
   * Registers an identity on behalf of {@code actor} (the audit trail's actor; null when the
   * identity registers itself, as the first administrator does).
   */
  @Transactional
  public Identity register(Registration draft, String actor) {
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
        return view(earlier.get());
      }
    }
    identities
        .findLiveByName(registration.organization(), registration.name())
        .ifPresent(
            existing -> {
              throw nameTaken(registration, existing.id);
            });
    if (registration.publicKey() != null) {
      requireUnusedKey(registration.publicKey(), "public_key");
    }

    IdentityEntity identity = newEntity(registration);
    try {
      identities.persistAndFlush(identity);
    } catch (PersistenceException e) {
      // Another registration of the same name committed between the check and the insert.
      throw nameTaken(registration, "");
    }
    if (registration.publicKey() != null) {
      activate(identity, registration.publicKey(), identity.createdAt);
    }
    events.append(
        "fleet.identity_registered",
        identity.id,
        actor == null ? identity.id : actor,
        registeredPayload(identity));
    Log.infof(
        "Registered %s %s (%s) in %s, %s",
        identity.kind, identity.name, identity.id, identity.organization, identity.status);
    return identity.toDomain(registration.publicKey(), null);
  }

  /**
   * Gives a registered or enrolling identity its first key: key version 1 CURRENT, ACTIVE, the
   * first scheduled rotation (bots), the key feed, and for bots GreenHelix register_agent (which
   * waits for the key, so the registry holds the key the bot signs with).
   */
  void activate(IdentityEntity identity, VerifyingKey key, OffsetDateTime now) {
    keys.add(identity.id, 1, key.raw(), KeyStatus.CURRENT, now);
    identity.status = IdentityStatus.ACTIVE;
    identity.keyVersion = 1;
    if (identity.kind == Kind.BOT) {
      identity.nextRotationAt = now.plus(config.rotationPeriod());
      registry.registerAgent(identity, key.base64());
    }
    keyFeed.recordUpsert(identity.id, 1);
    publisher.announce();
  }

  /** ALREADY_EXISTS if any identity has or had this public key: one key, one identity. */
  void requireUnusedKey(VerifyingKey key, String field) {
    keys.ownerOf(key.raw())
        .ifPresent(
            owner -> {
              throw BotfleetException.alreadyExists(
                  "PUBLIC_KEY_IN_USE",
                  field + " is already registered to another identity; make a new keypair",
                  Map.of("field", field));
            });
  }

  /** The identity of an agent id; NOT_FOUND if there is none. */
  @Transactional
  public Identity get(String agentId) {
    return view(find(agentId));
  }

  /** The entity of an agent id; NOT_FOUND if there is none. */
  IdentityEntity find(String agentId) {
    return identities.findByIdOptional(agentId).orElseThrow(() -> notFound(agentId));
  }

  /** The entity of an agent id, locked for a change; NOT_FOUND if there is none. */
  IdentityEntity lock(String agentId) {
    return identities.lock(agentId).orElseThrow(() -> notFound(agentId));
  }

  /** Every key version of an identity, oldest first. */
  @Transactional
  public List<KeyVersion> keysOf(String agentId) {
    return keys.listFor(agentId).stream().map(IdentityKeyEntity::toDomain).toList();
  }

  /**
   * One page of identities matching {@code filter}, ordered by name, after {@code position} (from
   * an earlier page's next position; empty for the first).
   */
  @Transactional
  public Page<Identity> list(IdentityFilter filter, String position, int pageSize) {
    String afterName = null;
    String afterId = null;
    if (!position.isEmpty()) {
      int separator = position.indexOf('\n');
      afterName = position.substring(0, Math.max(0, separator));
      afterId = position.substring(separator + 1);
    }
    List<IdentityEntity> rows = identities.page(filter, afterName, afterId, pageSize + 1);
    boolean more = rows.size() > pageSize;
    List<IdentityEntity> page = more ? rows.subList(0, pageSize) : rows;
    List<String> ids = page.stream().map(i -> i.id).toList();
    Map<String, IdentityKeyEntity> current =
        keys.listFor(ids).stream()
            .collect(Collectors.toMap(k -> k.agentId + "\n" + k.keyVersion, k -> k));
    Map<String, KeyRotationEntity> inProgress = rotations.findInProgress(ids);
    List<Identity> items =
        page.stream()
            .map(
                i -> {
                  IdentityKeyEntity key = current.get(i.id + "\n" + i.keyVersion);
                  KeyRotationEntity rotation = inProgress.get(i.id);
                  return i.toDomain(
                      key == null ? null : key.toDomain().publicKey(),
                      rotation == null ? null : rotation.toDomain());
                })
            .toList();
    IdentityEntity last = page.isEmpty() ? null : page.get(page.size() - 1);
    return new Page<>(items, more ? last.name + "\n" + last.id : null);
  }

  /** The domain view of an entity, with its current key and rotation in progress. */
  Identity view(IdentityEntity entity) {
    IdentityKeyEntity current =
        entity.keyVersion == 0 ? null : keys.find(entity.id, entity.keyVersion).orElse(null);
    KeyRotationEntity rotation = rotations.findInProgress(entity.id).orElse(null);
    return entity.toDomain(
        current == null ? null : current.toDomain().publicKey(),
        rotation == null ? null : rotation.toDomain());
  }

  static BotfleetException notFound(String agentId) {
    return BotfleetException.notFound(
        "IDENTITY_NOT_FOUND", "no identity " + agentId, Map.of("agent_id", agentId));
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
    identity.status = IdentityStatus.PENDING_ENROLLMENT;
    identity.keyVersion = 0;
    identity.requestId = blankToNull(r.requestId());
    identity.createdAt = Timestamps.now();
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

  private static BotfleetException nameTaken(Registration r, String existingId) {
    return BotfleetException.alreadyExists(
        "IDENTITY_EXISTS",
        "an identity named " + r.name() + " exists in " + r.organization(),
        existingId.isEmpty()
            ? Map.of("name", r.name(), "organization", r.organization())
            : Map.of("name", r.name(), "organization", r.organization(), "agent_id", existingId));
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
