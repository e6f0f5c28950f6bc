package io.botfleet.fleet.grpc;

import com.google.protobuf.Timestamp;
import io.botfleet.common.error.Violations;
import io.botfleet.fleet.domain.Bot;
import io.botfleet.fleet.domain.BotRegistration;
import io.botfleet.fleet.domain.BotStatus;
import io.botfleet.fleet.domain.Restrictions;
import io.botfleet.fleet.domain.Tier;
import io.botfleet.fleet.v1.RegisterBotRequest;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;

/** Bots between fleet.v1 and the service's own types. */
final class BotMapper {

  private BotMapper() {}

  /** A registration from its request; INVALID_ARGUMENT naming each malformed field. */
  static BotRegistration toRegistration(RegisterBotRequest request) {
    Violations violations = new Violations();
    BigDecimal maxPosition = null;
    if (!request.getMaxPositionUsd().isEmpty()) {
      try {
        maxPosition = new BigDecimal(request.getMaxPositionUsd());
      } catch (NumberFormatException e) {
        violations.add(
            "max_position_usd", "must be a decimal number, got " + request.getMaxPositionUsd());
      }
    }
    Tier tier =
        switch (request.getTier()) {
          case TIER_UNSPECIFIED -> null;
          case TIER_READ_ONLY -> Tier.READ_ONLY;
          case TIER_TRADE -> Tier.TRADE;
          case TIER_WITHDRAW -> Tier.WITHDRAW;
          case TIER_ADMIN -> Tier.ADMIN;
          default -> {
            violations.add("tier", "unknown tier " + request.getTierValue());
            yield null;
          }
        };
    Duration ttl = null;
    if (request.hasEnrollmentTtl()) {
      ttl =
          Duration.ofSeconds(
              request.getEnrollmentTtl().getSeconds(), request.getEnrollmentTtl().getNanos());
    }
    violations.throwIfAny();
    var r = request.getRestrictions();
    return new BotRegistration(
        request.getName(),
        request.getGroup(),
        request.getExchange(),
        request.getStrategy(),
        request.getVersion(),
        request.getCapabilitiesList(),
        maxPosition,
        request.getMetadataMap(),
        tier,
        request.hasRestrictions()
            ? new Restrictions(
                r.getMaxOrderSizeUsd(),
                r.getMaxPositionUsd(),
                r.getAllowedPairsList(),
                r.getAllowedInstrumentsList(),
                r.getMaxDeltaExposure(),
                r.getDeniedActionsList())
            : null,
        request.getRole(),
        request.getStandby(),
        ttl,
        request.getRequestId());
  }

  static io.botfleet.fleet.v1.Bot toProto(Bot bot) {
    io.botfleet.fleet.v1.Bot.Builder proto =
        io.botfleet.fleet.v1.Bot.newBuilder()
            .setId(bot.id())
            .setName(bot.name())
            .setGroup(bot.group())
            .setExchange(bot.exchange())
            .setStrategy(bot.strategy())
            .setVersion(bot.version())
            .setStatus(toProto(bot.status()))
            .addAllCapabilities(bot.capabilities())
            .setMaxPositionUsd(bot.maxPositionUsd().stripTrailingZeros().toPlainString())
            .putAllMetadata(bot.metadata())
            .setRole(bot.role())
            .setTier(io.botfleet.permission.v1.Tier.valueOf("TIER_" + bot.tier().name()))
            .setStandby(bot.standby())
            .setRegisterTime(toTimestamp(bot.registeredAt()))
            .setStatusReason(bot.statusReason())
            .setConnected(bot.connected());
    if (bot.lastHeartbeatAt() != null) {
      proto.setLastHeartbeatTime(toTimestamp(bot.lastHeartbeatAt()));
    }
    return proto.build();
  }

  static io.botfleet.fleet.v1.BotStatus toProto(BotStatus status) {
    return io.botfleet.fleet.v1.BotStatus.valueOf("BOT_STATUS_" + status.name());
  }

  /** A status filter; null for UNSPECIFIED or unknown values. */
  static BotStatus toDomain(io.botfleet.fleet.v1.BotStatus status) {
    return switch (status) {
      case BOT_STATUS_UNSPECIFIED, UNRECOGNIZED -> null;
      default -> BotStatus.valueOf(status.name().replace("BOT_STATUS_", ""));
    };
  }

  static Timestamp toTimestamp(Instant time) {
    return Timestamp.newBuilder()
        .setSeconds(time.getEpochSecond())
        .setNanos(time.getNano())
        .build();
  }
}
