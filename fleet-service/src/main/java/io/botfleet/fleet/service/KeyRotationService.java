package io.botfleet.fleet.service;

import io.botfleet.common.error.BotfleetException;
import io.botfleet.common.error.Violations;
import io.botfleet.fleet.client.IdentityClient;
import io.botfleet.fleet.config.FleetConfig;
import io.botfleet.fleet.domain.BotStatus;
import io.botfleet.fleet.domain.Command;
import io.botfleet.fleet.domain.CommandPayloads;
import io.botfleet.fleet.domain.CommandType;
import io.botfleet.fleet.domain.FleetEventTypes;
import io.botfleet.fleet.domain.Scope;
import io.botfleet.fleet.persistence.BotEntity;
import io.botfleet.fleet.persistence.BotRepository;
import io.botfleet.fleet.persistence.CommandRepository;
import io.botfleet.fleet.persistence.CommandRepository.Transition;
import io.botfleet.fleet.service.CommandService.Issue;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Rotating one bot's key: a rotation is begun at identity-service, then the bot is sent the durable
 * {@code rotate_key} {rotation_id, key_version, deadline, effective_at}; the bot makes its own key
 * pair and registers the public key with identity-service (docs/protocol.md). Used by the schedule
 * ({@link KeyRotationScheduler}) and by an operator's RotateBotKey.
 */
@ApplicationScoped
public class KeyRotationService {

  /** Bots told to rotate: those that can act on it. */
  static final Set<BotStatus> ROTATABLE =
      EnumSet.of(BotStatus.ACTIVE, BotStatus.PAUSED, BotStatus.STANDBY);

  @Inject IdentityClient identity;
  @Inject CommandService commands;
  @Inject CommandRepository commandRows;
  @Inject BotRepository bots;
  @Inject FleetEvents events;
  @Inject FleetConfig config;

  /**
   * A rotation begun and the bot told.
   *
   * @param rotationId the rotation at identity-service
   * @param keyVersion the version the bot's new key will have
   * @param deadline when identity-service cancels it if no new key was registered
   * @param commandId the {@code rotate_key} command
   */
  public record Started(String rotationId, int keyVersion, Instant deadline, String commandId) {}

  /**
   * An operator's rotation of one bot, by id or name (exactly one of them non-blank).
   *
   * <p>A bot already rotating is refused (FAILED_PRECONDITION ROTATION_IN_PROGRESS, identity's
   * verdict, with the rotation's id) rather than answered with that rotation: it may have been
   * begun at identity-service directly and never sent to the bot, and answering with it would tell
   * the operator the bot was told. A retry with the same request id answers with the first result.
   *
   * @param grace how long the bot has to register its key; null for the configured grace period
   */
  public Started rotate(
      String botId, String name, String reason, Duration grace, String requestId) {
    new Violations()
        .require(!botId.isBlank() || !name.isBlank(), "bot", "bot_id or name is required")
        .require(!reason.isBlank() && reason.length() <= 256, "reason", "is required (1 to 256)")
        .require(requestId.length() <= 128, "request_id", "at most 128 characters")
        .throwIfAny();
    String key = requestId.isBlank() ? null : requestId;
    if (key != null) {
      Optional<Started> earlier = replay(key);
      if (earlier.isPresent()) {
        return earlier.get();
      }
    }
    String actor = FleetEvents.actor();
    BotEntity bot =
        QuarkusTransaction.requiringNew()
            .call(
                () -> botId.isBlank() ? bots.findByName(name).orElse(null) : bots.findById(botId));
    String asked = botId.isBlank() ? name : botId;
    if (bot == null) {
      throw BotfleetException.notFound(
          "BOT_NOT_FOUND", "no bot " + asked + " in the fleet", Map.of("bot", asked));
    }
    if (!ROTATABLE.contains(bot.status)) {
      throw BotfleetException.failedPrecondition(
          "BOT_NOT_ROTATABLE",
          "bot "
              + bot.name
              + " is "
              + bot.status.name().toLowerCase(Locale.ROOT)
              + "; only an active, paused or standby bot can rotate its key",
          Map.of("bot_id", bot.id, "status", bot.status.name()));
    }
    Started started =
        begin(bot, reason, grace == null ? config.keyRotation().gracePeriod() : grace, key, actor);
    Log.infof(
        "Key rotation %s of %s begun by %s (%s)", started.rotationId(), bot.name, actor, reason);
    return started;
  }

  /**
   * The step shared with the schedule: begins the rotation at identity-service and sends the bot
   * {@code rotate_key}, with the event, in one transaction. If the command cannot be stored, the
   * rotation is cancelled at its deadline by identity-service (the bot never registered a key).
   *
   * @param requestId idempotency key of the command; null derives one from the rotation
   */
  Started begin(BotEntity bot, String reason, Duration grace, String requestId, String actor) {
    IdentityClient.Rotation rotation = identity.beginKeyRotation(bot.id, reason, grace);
    Duration untilDeadline = Duration.between(Instant.now(), rotation.deadline());
    var issued =
        commands.issue(
            new Issue(
                CommandType.ROTATE_KEY,
                CommandPayloads.rotateKey(
                    rotation.rotationId(),
                    rotation.keyVersion(),
                    rotation.deadline(),
                    Instant.now()),
                Scope.bot(bot.id),
                ROTATABLE,
                null,
                Transition.NONE,
                null,
                untilDeadline.isNegative() ? Duration.ofMinutes(1) : untilDeadline,
                requestId != null ? requestId : "rotate-" + rotation.rotationId(),
                false,
                actor,
                in -> {
                  if (in.targets().isEmpty()) {
                    // Its status changed since it was read: nothing is sent, nothing recorded.
                    throw BotfleetException.failedPrecondition(
                        "BOT_NOT_ROTATABLE",
                        "bot " + bot.name + " can no longer act on a key rotation",
                        Map.of("bot_id", bot.id, "rotation_id", rotation.rotationId()));
                  }
                  Map<String, Object> payload = new LinkedHashMap<>();
                  payload.put("agent_id", bot.id);
                  payload.put("bot_name", bot.name);
                  payload.put("rotation_id", rotation.rotationId());
                  payload.put("key_version", rotation.keyVersion());
                  payload.put("deadline", rotation.deadline().toString());
                  events.record(FleetEventTypes.KEY_ROTATION_STARTED, bot.id, actor, payload);
                }));
    return new Started(
        rotation.rotationId(),
        rotation.keyVersion(),
        rotation.deadline(),
        issued.command().id().toString());
  }

  /** The rotation sent before with this request id, read back from its command. */
  private Optional<Started> replay(String requestId) {
    Optional<Command> found =
        QuarkusTransaction.requiringNew().call(() -> commandRows.findByRequestId(requestId));
    return found.map(
        command -> {
          if (!command.type().equals(CommandType.ROTATE_KEY)) {
            throw BotfleetException.alreadyExists(
                "REQUEST_ID_REUSED",
                "request_id "
                    + requestId
                    + " was used for a "
                    + command.type()
                    + " command; use a new request_id for a new command",
                Map.of("command_id", command.id().toString()));
          }
          Map<String, Object> payload = command.payload();
          return new Started(
              String.valueOf(payload.get("rotation_id")),
              ((Number) payload.get("key_version")).intValue(),
              Instant.parse(String.valueOf(payload.get("deadline"))),
              command.id().toString());
        });
  }
}
