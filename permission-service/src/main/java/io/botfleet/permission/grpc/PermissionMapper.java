package io.botfleet.permission.grpc;

import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;
import io.botfleet.common.error.InvalidArgumentException;
import io.botfleet.permission.domain.Assignment;
import io.botfleet.permission.domain.AssignmentInput;
import io.botfleet.permission.domain.CheckContext;
import io.botfleet.permission.domain.Decision;
import io.botfleet.permission.domain.InstrumentPattern;
import io.botfleet.permission.domain.RestrictionsInput;
import io.botfleet.permission.domain.SuspensionMode;
import io.botfleet.permission.domain.TierCatalog;
import io.botfleet.permission.domain.TierDefinition;
import io.botfleet.permission.v1.AssignPermissionsRequest;
import io.botfleet.permission.v1.CheckPermissionRequest;
import io.botfleet.permission.v1.CheckPermissionResponse;
import io.botfleet.permission.v1.DecisionRule;
import io.botfleet.permission.v1.ExchangeMapping;
import io.botfleet.permission.v1.PermissionAssignment;
import io.botfleet.permission.v1.Restrictions;
import io.botfleet.permission.v1.Suspension;
import io.botfleet.permission.v1.Tier;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Translates between permission.v1 messages and the service's own types. */
final class PermissionMapper {

  private static final Map<io.botfleet.permission.domain.DecisionRule, DecisionRule> RULES =
      new EnumMap<>(io.botfleet.permission.domain.DecisionRule.class);

  static {
    for (var rule : io.botfleet.permission.domain.DecisionRule.values()) {
      RULES.put(rule, DecisionRule.valueOf("DECISION_RULE_" + rule.name()));
    }
  }

  private PermissionMapper() {}

  static io.botfleet.permission.v1.TierDefinition toProto(TierDefinition tier) {
    io.botfleet.permission.v1.TierDefinition.Builder proto =
        io.botfleet.permission.v1.TierDefinition.newBuilder()
            .setTier(toTier(tier.name()))
            .setName(tier.name())
            .addAllPermissions(tier.permissions());
    tier.exchangeMappings().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            mapping ->
                proto.addExchangeMappings(
                    ExchangeMapping.newBuilder()
                        .setExchange(mapping.getKey())
                        .setConfig(toStruct(mapping.getValue()))));
    return proto.build();
  }

  static Tier toTier(String name) {
    return Tier.valueOf("TIER_" + name.toUpperCase(Locale.ROOT));
  }

  /** The tier's name; "" when unset, and a name no tier has for a number this build lacks. */
  static String tierName(Tier tier, int number) {
    if (tier == Tier.TIER_UNSPECIFIED) {
      return "";
    }
    if (tier == Tier.UNRECOGNIZED) {
      return "#" + number;
    }
    return tier.name().substring("TIER_".length()).toLowerCase(Locale.ROOT);
  }

  static AssignmentInput toInput(AssignPermissionsRequest request) {
    return new AssignmentInput(
        request.getAgentId(),
        request.getBotName(),
        request.getGroup(),
        request.getRole(),
        request.getExchange(),
        tierName(request.getTier(), request.getTierValue()),
        toInput(request.getRestrictions()),
        request.getRequestId());
  }

  static RestrictionsInput toInput(Restrictions proto) {
    return new RestrictionsInput(
        proto.getMaxOrderSizeUsd(),
        proto.getMaxPositionUsd(),
        List.copyOf(proto.getAllowedPairsList()),
        List.copyOf(proto.getAllowedInstrumentsList()),
        proto.getMaxDeltaExposure(),
        List.copyOf(proto.getDeniedActionsList()));
  }

  static PermissionAssignment toProto(Assignment a, TierCatalog catalog, Instant now) {
    PermissionAssignment.Builder proto =
        PermissionAssignment.newBuilder()
            .setAgentId(a.agentId())
            .setBotName(a.botName())
            .setGroup(nullToEmpty(a.group()))
            .setRole(a.role().wireName())
            .setExchange(a.exchange())
            .setTier(toTier(a.tierAt(now)))
            .setBaseTier(toTier(a.baseTier()))
            .addAllAbstractPermissions(a.permissionsAt(catalog, now))
            .setExchangeConfig(toStruct(a.exchangeConfigAt(catalog, now)))
            .setRestrictions(toProto(a.restrictions()))
            .setAssignedBy(a.assignedBy())
            .setAssignTime(timestamp(a.assignedAt()));
    if (a.suspension() != null) {
      proto.setSuspension(
          Suspension.newBuilder()
              .setMode(toProto(a.suspension().mode()))
              .setReason(nullToEmpty(a.suspension().reason()))
              .setSuspendedBy(nullToEmpty(a.suspension().suspendedBy()))
              .setSuspendTime(timestamp(a.suspension().suspendedAt())));
    }
    if (a.escalationId() != null && a.tierAt(now).equals(a.tier())) {
      proto.setEscalationId(a.escalationId().toString());
    }
    return proto.build();
  }

  static Restrictions toProto(io.botfleet.permission.domain.Restrictions r) {
    Restrictions.Builder proto =
        Restrictions.newBuilder()
            .addAllAllowedPairs(r.allowedPairs())
            .addAllAllowedInstruments(
                r.allowedInstruments().stream().map(InstrumentPattern::text).toList())
            .addAllDeniedActions(r.deniedActions());
    if (r.maxOrderSizeUsd() != null) {
      proto.setMaxOrderSizeUsd(plain(r.maxOrderSizeUsd()));
    }
    if (r.maxPositionUsd() != null) {
      proto.setMaxPositionUsd(plain(r.maxPositionUsd()));
    }
    if (r.maxDeltaExposure() != null) {
      proto.setMaxDeltaExposure(plain(r.maxDeltaExposure()));
    }
    return proto.build();
  }

  static CheckContext toContext(CheckPermissionRequest request, String prefix) {
    var c = request.getContext();
    return CheckContext.parse(
        c.getExchange(),
        c.getPair(),
        c.getInstrument(),
        c.getOrderSizeUsd(),
        c.getReduceOnly(),
        c.getPositionAfterUsd(),
        c.getDeltaAfter(),
        prefix);
  }

  /** The request's agent id and action, or INVALID_ARGUMENT naming the missing one. */
  static void requireCheck(CheckPermissionRequest request, String prefix) {
    if (request.getAgentId().isEmpty()) {
      throw new InvalidArgumentException(prefix + "agent_id", "is required");
    }
    if (request.getAction().isEmpty()) {
      throw new InvalidArgumentException(prefix + "action", "is required");
    }
  }

  static CheckPermissionResponse toProto(Decision decision) {
    return CheckPermissionResponse.newBuilder()
        .setAllowed(decision.allowed())
        .setRule(RULES.get(decision.rule()))
        .setReason(decision.reason())
        .build();
  }

  static io.botfleet.permission.v1.SuspensionMode toProto(SuspensionMode mode) {
    return io.botfleet.permission.v1.SuspensionMode.valueOf("SUSPENSION_MODE_" + mode.name());
  }

  /** The mode, or null when unset; INVALID_ARGUMENT for a number this build does not know. */
  static SuspensionMode toMode(io.botfleet.permission.v1.SuspensionMode mode, String field) {
    return switch (mode) {
      case SUSPENSION_MODE_UNSPECIFIED -> null;
      case SUSPENSION_MODE_PAUSED -> SuspensionMode.PAUSED;
      case SUSPENSION_MODE_STOPPED -> SuspensionMode.STOPPED;
      default -> throw new InvalidArgumentException(field, "must be PAUSED or STOPPED");
    };
  }

  static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder()
        .setSeconds(instant.getEpochSecond())
        .setNanos(instant.getNano())
        .build();
  }

  static Struct toStruct(Map<String, Object> map) {
    Struct.Builder struct = Struct.newBuilder();
    map.forEach((key, value) -> struct.putFields(key, toValue(value)));
    return struct.build();
  }

  @SuppressWarnings("unchecked")
  private static Value toValue(Object value) {
    if (value == null) {
      return Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();
    }
    if (value instanceof Boolean b) {
      return Value.newBuilder().setBoolValue(b).build();
    }
    if (value instanceof Number n) {
      return Value.newBuilder().setNumberValue(n.doubleValue()).build();
    }
    if (value instanceof Map<?, ?> m) {
      return Value.newBuilder().setStructValue(toStruct((Map<String, Object>) m)).build();
    }
    if (value instanceof List<?> list) {
      ListValue.Builder values = ListValue.newBuilder();
      list.forEach(item -> values.addValues(toValue(item)));
      return Value.newBuilder().setListValue(values).build();
    }
    return Value.newBuilder().setStringValue(value.toString()).build();
  }

  private static String plain(BigDecimal value) {
    return value.stripTrailingZeros().toPlainString();
  }

  private static String nullToEmpty(String value) {
    return value == null ? "" : value;
  }
}
