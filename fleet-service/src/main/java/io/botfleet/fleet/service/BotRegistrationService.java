package io.botfleet.fleet.service;

import io.botfleet.common.error.BotfleetException;
import io.botfleet.fleet.client.HealthClient;
import io.botfleet.fleet.client.IdentityClient;
import io.botfleet.fleet.client.PermissionClient;
import io.botfleet.fleet.domain.Bot;
import io.botfleet.fleet.domain.BotRegistration;
import io.botfleet.fleet.domain.BotStatus;
import io.botfleet.fleet.domain.FleetEventTypes;
import io.botfleet.fleet.domain.RegistrationState;
import io.botfleet.fleet.persistence.BotEntity;
import io.botfleet.fleet.persistence.BotRepository;
import io.botfleet.fleet.persistence.FleetEntity;
import io.botfleet.fleet.persistence.RegistrationEntity;
import io.botfleet.fleet.persistence.RegistrationRepository;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * RegisterBot across three services, as a persisted saga: identity (pending enrollment), then
 * permissions, then health tracking, then the bot row with its enrollment token. Each step is
 * recorded as it completes. A step that fails undoes the ones before it (and the failing one, when
 * its outcome is unknown), in reverse order; the operator gets the step's error. A registration
 * interrupted by a crash is resumed by a retry with the same request id (every step is idempotent
 * on the callee's side), or undone by {@link #undoAbandoned} if nobody retries it.
 */
@ApplicationScoped
public class BotRegistrationService {

  /** Long enough for four calls at their deadline. */
  private static final Duration CLAIM = Duration.ofSeconds(60);

  @Inject RegistrationRepository registrations;
  @Inject BotRepository bots;
  @Inject IdentityClient identity;
  @Inject PermissionClient permission;
  @Inject HealthClient health;
  @Inject FleetEvents events;
  @Inject io.botfleet.fleet.persistence.ConnectionRepository connections;

  /**
   * A registered bot.
   *
   * @param bot the bot, pending until it enrolls and connects
   * @param enrollmentToken its one-time enrollment token (empty if it has enrolled already)
   * @param enrollmentExpiresAt when the token expires (null without a token)
   */
  public record Registered(Bot bot, String enrollmentToken, Instant enrollmentExpiresAt) {}

  /** Registers a bot, or returns the bot a previous call with the same request id registered. */
  public Registered register(BotRegistration draft) {
    BotRegistration r = draft.withDefaults();
    r.check();
    String actor = FleetEvents.actor();
    FleetEntity fleet =
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    events
                        .fleet()
                        .orElseThrow(
                            () ->
                                BotfleetException.failedPrecondition(
                                    "FLEET_NOT_INITIALIZED",
                                    "call InitFleet first: bots belong to the fleet's organization",
                                    Map.of())));
    Map<String, Object> fingerprint = fingerprint(r);
    RegistrationEntity registration =
        QuarkusTransaction.requiringNew().call(() -> begin(r, fingerprint));
    if (registration.state == RegistrationState.COMPLETED) {
      return replay(registration);
    }
    try {
      return run(registration, r, fleet, actor);
    } catch (BotfleetException e) {
      undo(registration.requestId, r.name(), e, e.kind() == BotfleetException.Kind.UNAVAILABLE);
      throw e;
    } finally {
      QuarkusTransaction.requiringNew().run(() -> registrations.release(registration.requestId));
    }
  }

  private RegistrationEntity begin(BotRegistration r, Map<String, Object> fingerprint) {
    RegistrationEntity existing = registrations.findById(r.requestId());
    if (existing == null) {
      bots.findLiveByName(r.name())
          .ifPresent(
              bot -> {
                throw BotfleetException.alreadyExists(
                    "BOT_EXISTS",
                    "a bot named " + r.name() + " is in the fleet",
                    Map.of("bot_id", bot.id, "name", r.name()));
              });
      RegistrationEntity fresh = new RegistrationEntity();
      fresh.requestId = r.requestId();
      fresh.request = fingerprint;
      fresh.state = RegistrationState.STARTED;
      fresh.leaseUntil = OffsetDateTime.now(ZoneOffset.UTC).plus(CLAIM);
      registrations.persistAndFlush(fresh);
      return fresh;
    }
    if (!fingerprint.equals(existing.request)) {
      throw BotfleetException.alreadyExists(
          "REQUEST_ID_REUSED",
          "request_id " + r.requestId() + " was used for another registration",
          existing.botId == null ? Map.of() : Map.of("bot_id", existing.botId));
    }
    if (existing.state == RegistrationState.COMPLETED) {
      return existing;
    }
    if (!registrations.claim(r.requestId(), CLAIM)) {
      throw BotfleetException.unavailable(
          "REGISTRATION_IN_PROGRESS",
          "registration " + r.requestId() + " is running right now; retry in a few seconds");
    }
    registrations.getEntityManager().refresh(existing);
    if (existing.state == RegistrationState.FAILED) {
      // Undone before: start over, with new keys for the callees (their idempotency would
      // otherwise return the revoked identity).
      existing.attempt++;
      existing.botId = null;
      existing.errorKind = null;
      existing.errorReason = null;
      existing.errorMessage = null;
      existing.moveTo(RegistrationState.STARTED);
    }
    return existing;
  }

  private Registered run(
      RegistrationEntity registration, BotRegistration r, FleetEntity fleet, String actor) {
    String key = registration.attemptKey();
    if (registration.state == RegistrationState.COMPENSATING) {
      throw BotfleetException.unavailable(
          "REGISTRATION_BEING_UNDONE",
          "an earlier attempt of " + r.requestId() + " is still being undone; retry shortly");
    }
    if (registration.state == RegistrationState.STARTED) {
      String botId =
          identity.registerBot(
              new IdentityClient.BotIdentity(
                  r.name(),
                  fleet.organization,
                  r.role(),
                  fleet.fleetManagerId,
                  r.group(),
                  r.exchange(),
                  r.strategy(),
                  r.version(),
                  r.capabilities(),
                  r.maxPositionUsd(),
                  r.metadata(),
                  key));
      registration.botId = botId;
      step(registration, RegistrationState.IDENTITY_REGISTERED);
    }
    String botId = registration.botId;
    if (registration.state == RegistrationState.IDENTITY_REGISTERED) {
      permission.assign(
          new PermissionClient.Assignment(
              botId, r.name(), r.group(), r.role(), r.exchange(), r.tier(), r.restrictions(), key));
      step(registration, RegistrationState.PERMISSIONS_ASSIGNED);
    }
    if (registration.state == RegistrationState.PERMISSIONS_ASSIGNED) {
      health.track(botId, r.name(), r.group(), r.exchange(), r.strategy(), r.standby());
      step(registration, RegistrationState.HEALTH_TRACKED);
    }
    // The token last: one is issued only for a registration that completes, and a resumed
    // registration never minted one that nobody saw.
    IdentityClient.EnrollmentToken token = identity.createEnrollmentToken(botId, r.enrollmentTtl());
    Bot bot;
    try {
      bot = complete(registration, r, botId, actor);
    } catch (RuntimeException e) {
      if (CommandService.isUniqueViolation(e)) {
        throw BotfleetException.alreadyExists(
            "BOT_EXISTS",
            "a bot named " + r.name() + " joined the fleet meanwhile",
            Map.of("name", r.name()));
      }
      throw e;
    }
    Log.infof("Registered %s (%s) in %s by %s", r.name(), botId, r.group(), actor);
    return new Registered(bot, token.token(), token.expiresAt());
  }

  private Bot complete(
      RegistrationEntity registration, BotRegistration r, String botId, String actor) {
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              BotEntity entity = newBot(botId, r);
              bots.persistAndFlush(entity);
              RegistrationEntity row = registrations.findById(registration.requestId);
              row.moveTo(RegistrationState.COMPLETED);
              Map<String, Object> payload = new LinkedHashMap<>();
              payload.put("agent_id", botId);
              payload.put("bot_name", r.name());
              payload.put("group", r.group());
              payload.put("exchange", r.exchange());
              payload.put("strategy", r.strategy());
              payload.put("tier", r.tier().guideName());
              payload.put("standby", r.standby());
              events.record(FleetEventTypes.BOT_REGISTERED, botId, actor, payload);
              return entity.toDomain(false);
            });
  }

  private Registered replay(RegistrationEntity registration) {
    Bot bot =
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    bots.findById(registration.botId)
                        .toDomain(connections.connected(registration.botId)));
    if (bot.status() == BotStatus.PENDING && identity.pendingEnrollment(bot.id()).orElse(false)) {
      // The first token was shown once and is never stored: a retry gets a fresh one.
      IdentityClient.EnrollmentToken token =
          identity.createEnrollmentToken(bot.id(), Duration.ofHours(1));
      return new Registered(bot, token.token(), token.expiresAt());
    }
    return new Registered(bot, "", null);
  }

  private void step(RegistrationEntity registration, RegistrationState next) {
    registration.moveTo(next);
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              RegistrationEntity row = registrations.findById(registration.requestId);
              row.botId = registration.botId;
              row.moveTo(next);
            });
  }

  /**
   * Undoes what a registration did, in reverse order. With {@code outcomeUnknown} (the failing call
   * may have happened: a timeout, a crash) the failing step is undone too; every undo is
   * idempotent. Leaves the registration FAILED, or COMPENSATING if an undo failed (retried by the
   * sweep).
   */
  void undo(String requestId, String name, BotfleetException cause, boolean outcomeUnknown) {
    RegistrationEntity registration =
        QuarkusTransaction.requiringNew()
            .call(
                () -> {
                  RegistrationEntity row = registrations.findById(requestId);
                  if (row.state != RegistrationState.COMPENSATING) {
                    row.errorKind = cause.kind().name();
                    row.errorReason = cause.reason();
                    row.errorMessage = cause.getMessage();
                    row.reached = row.state;
                    row.moveTo(RegistrationState.COMPENSATING);
                  }
                  return row;
                });
    RegistrationState reached = registration.reached;
    String botId = registration.botId;
    String reason = "registration " + requestId + " failed: " + cause.getMessage();
    try {
      if (outcomeUnknown || reached.ordinal() >= RegistrationState.HEALTH_TRACKED.ordinal()) {
        if (botId != null) {
          health.untrack(botId);
        }
      }
      if (reached.ordinal() >= RegistrationState.IDENTITY_REGISTERED.ordinal() && botId != null) {
        permission.remove(botId, reason);
        identity.revoke(botId, reason);
      } else if (outcomeUnknown) {
        // RegisterAgent may have created the identity and its answer was lost. Asking again with
        // the same key returns it if it exists (and makes it if not); either way it is revoked.
        botId = identity.registerBot(rebuild(registration, name));
        permission.remove(botId, reason);
        identity.revoke(botId, reason);
      }
    } catch (BotfleetException undoFailed) {
      Log.warnf(
          "Undoing registration %s failed (%s); the sweep retries",
          requestId, undoFailed.getMessage());
      return;
    }
    String failedStep = next(reached).name().toLowerCase(java.util.Locale.ROOT);
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              RegistrationEntity row = registrations.findById(requestId);
              row.moveTo(RegistrationState.FAILED);
              Map<String, Object> payload = new LinkedHashMap<>();
              payload.put("bot_name", name);
              payload.put("request_id", requestId);
              payload.put("failed_step", failedStep);
              payload.put("reason", row.errorMessage);
              events.record(FleetEventTypes.BOT_REGISTRATION_FAILED, null, "system", payload);
            });
    Log.infof("Registration %s of %s failed at %s and was undone", requestId, name, failedStep);
  }

  /** Undoes registrations that stopped half-way and that nobody retried. */
  public void undoAbandoned(Duration age) {
    for (String requestId :
        QuarkusTransaction.requiringNew().call(() -> registrations.abandoned(age))) {
      boolean claimed =
          QuarkusTransaction.requiringNew().call(() -> registrations.claim(requestId, CLAIM));
      if (!claimed) {
        continue;
      }
      try {
        RegistrationEntity row =
            QuarkusTransaction.requiringNew().call(() -> registrations.findById(requestId));
        String name = String.valueOf(row.request.get("name"));
        undo(
            requestId,
            name,
            BotfleetException.unavailable(
                "REGISTRATION_ABANDONED", "interrupted and not retried for " + age),
            true);
      } finally {
        QuarkusTransaction.requiringNew().run(() -> registrations.release(requestId));
      }
    }
  }

  private static RegistrationState next(RegistrationState reached) {
    return switch (reached) {
      case STARTED -> RegistrationState.IDENTITY_REGISTERED;
      case IDENTITY_REGISTERED -> RegistrationState.PERMISSIONS_ASSIGNED;
      case PERMISSIONS_ASSIGNED -> RegistrationState.HEALTH_TRACKED;
      default -> RegistrationState.COMPLETED;
    };
  }

  @SuppressWarnings("unchecked")
  private IdentityClient.BotIdentity rebuild(RegistrationEntity registration, String name) {
    Map<String, Object> f = registration.request;
    FleetEntity fleet = QuarkusTransaction.requiringNew().call(() -> events.fleet().orElseThrow());
    return new IdentityClient.BotIdentity(
        name,
        fleet.organization,
        (String) f.get("role"),
        fleet.fleetManagerId,
        (String) f.get("group"),
        (String) f.get("exchange"),
        (String) f.get("strategy"),
        (String) f.get("version"),
        (java.util.List<String>) f.get("capabilities"),
        new java.math.BigDecimal((String) f.get("max_position_usd")),
        (Map<String, String>) f.get("metadata"),
        registration.attemptKey());
  }

  /** The request as stored: strings and lists only, so it compares equal after a round trip. */
  private static Map<String, Object> fingerprint(BotRegistration r) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("name", r.name());
    f.put("group", r.group());
    f.put("exchange", r.exchange());
    f.put("strategy", r.strategy());
    f.put("version", r.version());
    f.put("capabilities", r.capabilities());
    f.put("max_position_usd", r.maxPositionUsd().toPlainString());
    f.put("metadata", new java.util.TreeMap<>(r.metadata()));
    f.put("tier", r.tier().guideName());
    f.put("restrictions", String.valueOf(r.restrictions()));
    f.put("role", r.role());
    f.put("standby", String.valueOf(r.standby()));
    return f;
  }

  private static BotEntity newBot(String botId, BotRegistration r) {
    BotEntity bot = new BotEntity();
    bot.id = botId;
    bot.name = r.name();
    bot.group = r.group();
    bot.exchange = r.exchange();
    bot.strategy = r.strategy();
    bot.version = r.version();
    bot.status = BotStatus.PENDING;
    bot.statusReason = "waiting for the bot to enroll and connect";
    bot.capabilities = r.capabilities();
    bot.maxPositionUsd = r.maxPositionUsd();
    bot.metadata = r.metadata();
    bot.role = r.role();
    bot.tier = r.tier().guideName();
    bot.standby = r.standby();
    bot.registeredAt = OffsetDateTime.now(ZoneOffset.UTC);
    bot.requestId = r.requestId();
    return bot;
  }
}
