package io.botfleet.fleet.grpc;

import io.botfleet.common.error.InvalidArgumentException;
import io.botfleet.fleet.domain.Command;
import io.botfleet.fleet.domain.Delivery;
import io.botfleet.fleet.domain.DeliveryState;
import io.botfleet.fleet.domain.Failover;
import io.botfleet.fleet.domain.FailoverMode;
import io.botfleet.fleet.domain.GroupPolicy;
import io.botfleet.fleet.domain.OutgoingCommand;
import io.botfleet.fleet.domain.Scope;
import io.botfleet.fleet.v1.BotCommand;
import io.botfleet.fleet.v1.CommandDelivery;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Commands, scopes, policies and failovers between fleet.v1 and the service's own types. */
final class CommandMapper {

  /** A command is converted once, however many bots it goes to; only the sequence differs. */
  private static final Map<UUID, BotCommand> TEMPLATES = new ConcurrentHashMap<>();

  private CommandMapper() {}

  /** A scope; INVALID_ARGUMENT naming the field if none is set or fleet is false. */
  static Scope toScope(io.botfleet.common.v1.Scope scope, String field) {
    return switch (scope.getTargetCase()) {
      case FLEET -> {
        if (!scope.getFleet()) {
          throw new InvalidArgumentException(field + ".fleet", "must be true to address the fleet");
        }
        yield new Scope.Fleet();
      }
      case GROUP -> new Scope.Group(scope.getGroup());
      case BOTS -> new Scope.Bots(scope.getBots().getBotIdsList());
      case TARGET_NOT_SET -> null;
    };
  }

  static io.botfleet.common.v1.Scope toProto(Scope scope) {
    io.botfleet.common.v1.Scope.Builder proto = io.botfleet.common.v1.Scope.newBuilder();
    if (scope instanceof Scope.Group g) {
      proto.setGroup(g.group());
    } else if (scope instanceof Scope.Bots b) {
      proto.setBots(io.botfleet.common.v1.BotIds.newBuilder().addAllBotIds(b.botIds()));
    } else {
      proto.setFleet(true);
    }
    return proto.build();
  }

  /** A TTL, or {@code fallback} when unset. */
  static Duration ttl(boolean has, com.google.protobuf.Duration ttl, Duration fallback) {
    return has ? Duration.ofSeconds(ttl.getSeconds(), ttl.getNanos()) : fallback;
  }

  static io.botfleet.fleet.v1.Command toProto(Command command) {
    io.botfleet.fleet.v1.Command.Builder proto =
        io.botfleet.fleet.v1.Command.newBuilder()
            .setId(command.id().toString())
            .setType(command.type())
            .setPayload(StructMapper.toStruct(command.payload()))
            .setScope(toProto(command.scope()))
            .setIssuedBy(command.issuedBy())
            .setCreateTime(BotMapper.toTimestamp(command.createdAt()))
            .setExpireTime(BotMapper.toTimestamp(command.expiresAt()))
            .setRequestId(command.requestId() == null ? "" : command.requestId())
            .setPriority(command.priority())
            .setTargetCount(command.targetCount());
    command
        .deliveryCounts()
        .forEach(
            (state, count) ->
                proto.putDeliveryCounts(state.name().toLowerCase(Locale.ROOT), count));
    return proto.build();
  }

  static CommandDelivery toProto(Delivery delivery) {
    CommandDelivery.Builder proto =
        CommandDelivery.newBuilder()
            .setCommandId(delivery.commandId().toString())
            .setBotId(delivery.botId())
            .setBotName(delivery.botName())
            .setSequence(delivery.sequence())
            .setState(toProto(delivery.state()))
            .setMessage(delivery.message())
            .setUpdateTime(BotMapper.toTimestamp(delivery.updatedAt()));
    if (delivery.sentAt() != null) {
      proto.setSendTime(BotMapper.toTimestamp(delivery.sentAt()));
    }
    return proto.build();
  }

  static io.botfleet.fleet.v1.DeliveryState toProto(DeliveryState state) {
    return io.botfleet.fleet.v1.DeliveryState.valueOf("DELIVERY_STATE_" + state.name());
  }

  /** A delivery state filter; INVALID_ARGUMENT for UNSPECIFIED. */
  static DeliveryState toDomain(io.botfleet.fleet.v1.DeliveryState state) {
    if (state == io.botfleet.fleet.v1.DeliveryState.DELIVERY_STATE_UNSPECIFIED
        || state == io.botfleet.fleet.v1.DeliveryState.UNRECOGNIZED) {
      throw new InvalidArgumentException("states", "each state must be set");
    }
    return DeliveryState.valueOf(state.name().replace("DELIVERY_STATE_", ""));
  }

  /** One command as one bot receives it. */
  static BotCommand toBotCommand(OutgoingCommand command) {
    BotCommand template = TEMPLATES.get(command.commandId());
    if (template == null) {
      if (TEMPLATES.size() > 1024) {
        TEMPLATES.clear();
      }
      template =
          BotCommand.newBuilder()
              .setCommandId(command.commandId().toString())
              .setType(command.type())
              .setPayload(StructMapper.toStruct(command.payload()))
              .setExpireTime(BotMapper.toTimestamp(command.expiresAt()))
              .setIssueTime(BotMapper.toTimestamp(command.issuedAt()))
              .build();
      TEMPLATES.put(command.commandId(), template);
    }
    return template.toBuilder().setSequence(command.sequence()).build();
  }

  static GroupPolicy toDomain(io.botfleet.fleet.v1.GroupPolicy policy) {
    FailoverMode mode =
        policy.getFailoverMode() == io.botfleet.fleet.v1.FailoverMode.FAILOVER_MODE_AUTOMATIC
            ? FailoverMode.AUTOMATIC
            : FailoverMode.MANUAL;
    double share =
        policy.getMinHealthyShare() == 0
            ? GroupPolicy.DEFAULT_MIN_HEALTHY_SHARE
            : policy.getMinHealthyShare();
    return new GroupPolicy(policy.getGroup(), mode, policy.getStateful(), share, null, "");
  }

  static io.botfleet.fleet.v1.GroupPolicy toProto(GroupPolicy policy) {
    io.botfleet.fleet.v1.GroupPolicy.Builder proto =
        io.botfleet.fleet.v1.GroupPolicy.newBuilder()
            .setGroup(policy.group())
            .setFailoverMode(
                io.botfleet.fleet.v1.FailoverMode.valueOf(
                    "FAILOVER_MODE_" + policy.failoverMode().name()))
            .setStateful(policy.stateful())
            .setMinHealthyShare(policy.minHealthyShare())
            .setUpdatedBy(policy.updatedBy());
    if (policy.updatedAt() != null) {
      proto.setUpdateTime(BotMapper.toTimestamp(policy.updatedAt()));
    }
    return proto.build();
  }

  static io.botfleet.fleet.v1.Failover toProto(Failover failover) {
    return io.botfleet.fleet.v1.Failover.newBuilder()
        .setId(failover.id().toString())
        .setDeadBotId(failover.deadBotId())
        .setReplacementBotId(failover.replacementBotId())
        .setGroup(failover.group())
        .setExchange(failover.exchange())
        .setReconcilePositions(failover.reconcilePositions())
        .setAutomatic(failover.automatic())
        .setCommandId(failover.commandId().toString())
        .setInitiatedBy(failover.initiatedBy())
        .setCreateTime(BotMapper.toTimestamp(failover.createdAt()))
        .build();
  }
}
