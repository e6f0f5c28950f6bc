package io.botfleet.sdk;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;
import io.botfleet.fleet.v1.BotCommand;
import io.botfleet.sdk.command.AssumeResponsibilityCommand;
import io.botfleet.sdk.command.CommandInfo;
import io.botfleet.sdk.command.CustomCommand;
import io.botfleet.sdk.command.EmergencyStopCommand;
import io.botfleet.sdk.command.PauseCommand;
import io.botfleet.sdk.command.ResumeCommand;
import io.botfleet.sdk.command.RollbackVersionCommand;
import io.botfleet.sdk.command.ShutdownCommand;
import io.botfleet.sdk.command.UpdateVersionCommand;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the payloads of the guide's commands (docs/bot-sdk.md lists the fields). A payload missing
 * a required field is refused with a message naming it; unknown fields are ignored (and stay in
 * {@link CommandInfo#payload()}).
 */
final class CommandPayloads {

  /** The payload is not what the command needs. */
  static final class InvalidPayload extends Exception {
    InvalidPayload(String message) {
      super(message, null, false, false);
    }
  }

  private CommandPayloads() {}

  static CommandInfo info(BotCommand command) {
    return new CommandInfo(
        command.getCommandId(),
        command.getSequence(),
        command.getType(),
        command.hasIssueTime() ? instant(command.getIssueTime()) : null,
        command.hasExpireTime() ? instant(command.getExpireTime()) : null,
        map(command.getPayload()));
  }

  static Instant instant(Timestamp timestamp) {
    return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
  }

  static PauseCommand pause(CommandInfo info) {
    return new PauseCommand(info, text(info, "reason"));
  }

  static ResumeCommand resume(CommandInfo info) {
    return new ResumeCommand(info, text(info, "reason"));
  }

  static EmergencyStopCommand emergencyStop(CommandInfo info) throws InvalidPayload {
    Object actions = info.payload().get("actions");
    List<String> list = new ArrayList<>();
    if (actions instanceof List<?> values) {
      for (Object value : values) {
        if (!(value instanceof String action) || action.isBlank()) {
          throw new InvalidPayload("emergency_stop: payload.actions must be a list of strings");
        }
        list.add(action);
      }
    } else if (actions != null) {
      throw new InvalidPayload("emergency_stop: payload.actions must be a list of strings");
    }
    return new EmergencyStopCommand(
        info, text(info, "reason"), list.isEmpty() ? EmergencyStopCommand.DEFAULT_ACTIONS : list);
  }

  static ShutdownCommand shutdown(CommandInfo info) throws InvalidPayload {
    Double grace = number(info, "grace_period_seconds");
    if (grace != null && grace < 0) {
      throw new InvalidPayload("shutdown: payload.grace_period_seconds must be >= 0");
    }
    return new ShutdownCommand(
        info,
        text(info, "reason"),
        Duration.ofMillis(Math.round((grace == null ? 30 : grace) * 1000)));
  }

  static String rotationId(CommandInfo info) throws InvalidPayload {
    String rotationId = required(info, "rotation_id");
    if (!CredentialStore.validRotationId(rotationId)) {
      throw new InvalidPayload("rotate_key: payload.rotation_id must be a UUID, got " + rotationId);
    }
    return rotationId;
  }

  static AssumeResponsibilityCommand assumeResponsibility(CommandInfo info) throws InvalidPayload {
    return new AssumeResponsibilityCommand(
        info,
        required(info, "from_bot"),
        text(info, "group"),
        text(info, "exchange"),
        text(info, "strategy"),
        text(info, "reason"),
        Boolean.TRUE.equals(info.payload().get("reconcile_positions")));
  }

  static UpdateVersionCommand updateVersion(CommandInfo info) throws InvalidPayload {
    Double minutes = number(info, "monitoring_duration_minutes");
    return new UpdateVersionCommand(
        info,
        required(info, "new_version"),
        text(info, "deployment_id"),
        text(info, "role"),
        text(info, "artifact_ref"),
        minutes == null ? null : Duration.ofSeconds(Math.round(minutes * 60)));
  }

  static RollbackVersionCommand rollbackVersion(CommandInfo info) {
    String previous = text(info, "previous_version");
    return new RollbackVersionCommand(
        info,
        text(info, "deployment_id"),
        text(info, "reason"),
        previous.isEmpty() ? null : previous);
  }

  static CustomCommand custom(CommandInfo info) {
    return new CustomCommand(info);
  }

  private static String required(CommandInfo info, String field) throws InvalidPayload {
    String value = text(info, field);
    if (value.isEmpty()) {
      throw new InvalidPayload(info.type() + ": payload." + field + " is required");
    }
    return value;
  }

  private static String text(CommandInfo info, String field) {
    Object value = info.payload().get(field);
    if (value == null) {
      return "";
    }
    if (value instanceof Double number && number == Math.rint(number)) {
      return Long.toString(number.longValue());
    }
    return value.toString();
  }

  private static Double number(CommandInfo info, String field) throws InvalidPayload {
    Object value = info.payload().get(field);
    if (value == null) {
      return null;
    }
    if (value instanceof Double number) {
      return number;
    }
    try {
      return Double.parseDouble(value.toString());
    } catch (NumberFormatException e) {
      throw new InvalidPayload(info.type() + ": payload." + field + " must be a number");
    }
  }

  /** A Struct as plain Java values. */
  static Map<String, Object> map(Struct struct) {
    Map<String, Object> map = new LinkedHashMap<>();
    struct.getFieldsMap().forEach((key, value) -> map.put(key, value(value)));
    return map;
  }

  private static Object value(Value value) {
    return switch (value.getKindCase()) {
      case NULL_VALUE, KIND_NOT_SET -> null;
      case NUMBER_VALUE -> value.getNumberValue();
      case STRING_VALUE -> value.getStringValue();
      case BOOL_VALUE -> value.getBoolValue();
      case STRUCT_VALUE -> map(value.getStructValue());
      case LIST_VALUE -> list(value.getListValue());
    };
  }

  private static List<Object> list(ListValue list) {
    List<Object> values = new ArrayList<>();
    list.getValuesList().forEach(value -> values.add(value(value)));
    return values;
  }

  /** Plain Java values as a Struct (for ack results). */
  static Struct struct(Map<String, Object> map) {
    Struct.Builder struct = Struct.newBuilder();
    map.forEach((key, value) -> struct.putFields(key, toValue(value)));
    return struct.build();
  }

  private static Value toValue(Object value) {
    if (value == null) {
      return Value.newBuilder().setNullValue(com.google.protobuf.NullValue.NULL_VALUE).build();
    }
    if (value instanceof Number number) {
      return Value.newBuilder().setNumberValue(number.doubleValue()).build();
    }
    if (value instanceof Boolean bool) {
      return Value.newBuilder().setBoolValue(bool).build();
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> nested = new LinkedHashMap<>();
      map.forEach((key, item) -> nested.put(String.valueOf(key), item));
      return Value.newBuilder().setStructValue(struct(nested)).build();
    }
    if (value instanceof Iterable<?> items) {
      ListValue.Builder list = ListValue.newBuilder();
      items.forEach(item -> list.addValues(toValue(item)));
      return Value.newBuilder().setListValue(list).build();
    }
    return Value.newBuilder().setStringValue(value.toString()).build();
  }
}
