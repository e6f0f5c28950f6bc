package io.botfleet.fleet.rest;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import io.botfleet.common.error.InvalidArgumentException;
import io.vertx.core.MultiMap;
import java.text.ParseException;
import java.util.Locale;
import java.util.Set;

/**
 * Query parameters as request fields, the way gRPC-JSON transcoders do it: a parameter names a
 * field by its proto name, dotted for nested messages ({@code period.month=2026-11}); a repeated
 * field takes the parameter once per value ({@code statuses=ACTIVE&statuses=PAUSED}); an enum takes
 * its value name with or without the type's prefix; a Timestamp takes RFC 3339 and a Duration
 * {@code 90s}. An unknown parameter is an error naming it, never silently ignored: a filter typed
 * wrong must not widen what an operator acts on.
 */
final class QueryParameters {

  private QueryParameters() {}

  /** Sets every query parameter on {@code request}, but those in {@code skip}. */
  static void apply(MultiMap params, Message.Builder request, Set<String> skip) {
    for (String name : params.names()) {
      if (skip.contains(name)) {
        continue;
      }
      for (String value : params.getAll(name)) {
        set(request, name, value);
      }
    }
  }

  /** Sets (or, for a repeated field, adds) one field by its dotted proto name. */
  static void set(Message.Builder request, String name, String value) {
    Message.Builder target = request;
    String[] parts = name.split("\\.");
    for (int i = 0; i < parts.length - 1; i++) {
      FieldDescriptor field = field(target.getDescriptorForType(), parts[i], name);
      if (field.getJavaType() != FieldDescriptor.JavaType.MESSAGE || field.isRepeated()) {
        throw new InvalidArgumentException(name, "is not a query parameter of this route");
      }
      target = target.getFieldBuilder(field);
    }
    FieldDescriptor field = field(target.getDescriptorForType(), parts[parts.length - 1], name);
    Object converted = convert(field, value, name);
    if (field.isRepeated()) {
      target.addRepeatedField(field, converted);
    } else {
      target.setField(field, converted);
    }
  }

  private static FieldDescriptor field(Descriptor type, String part, String name) {
    FieldDescriptor field = type.findFieldByName(part);
    if (field == null || field.isMapField()) {
      throw new InvalidArgumentException(name, "is not a query parameter of this route");
    }
    return field;
  }

  private static Object convert(FieldDescriptor field, String value, String name) {
    try {
      return switch (field.getJavaType()) {
        case STRING -> value;
        case INT -> Integer.parseInt(value);
        case LONG -> Long.parseLong(value);
        case FLOAT -> Float.parseFloat(value);
        case DOUBLE -> Double.parseDouble(value);
        case BOOLEAN -> {
          if (!value.equals("true") && !value.equals("false")) {
            throw new NumberFormatException();
          }
          yield Boolean.parseBoolean(value);
        }
        case ENUM -> enumValue(field, value, name);
        case MESSAGE -> wellKnown(field, value, name);
        case BYTE_STRING ->
            throw new InvalidArgumentException(name, "cannot be given in the query string");
      };
    } catch (NumberFormatException e) {
      throw new InvalidArgumentException(
          name,
          "must be a " + field.getJavaType().name().toLowerCase(Locale.ROOT) + ", got " + value);
    }
  }

  private static EnumValueDescriptor enumValue(FieldDescriptor field, String value, String name) {
    var type = field.getEnumType();
    String upper = value.toUpperCase(Locale.ROOT);
    EnumValueDescriptor found = type.findValueByName(upper);
    if (found == null) {
      found = type.findValueByName(enumPrefix(type.getName()) + upper);
    }
    if (found == null || found.getNumber() == 0) {
      throw new InvalidArgumentException(
          name, "is not a value of " + type.getName() + ": " + value);
    }
    return found;
  }

  /** BotStatus → BOT_STATUS_ (the style guide's enum value prefix). */
  static String enumPrefix(String typeName) {
    return typeName.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT) + "_";
  }

  private static Message wellKnown(FieldDescriptor field, String value, String name) {
    try {
      return switch (field.getMessageType().getFullName()) {
        case "google.protobuf.Timestamp" -> Timestamps.parse(value);
        case "google.protobuf.Duration" -> Durations.parse(value);
        default ->
            throw new InvalidArgumentException(name, "is not a query parameter of this route");
      };
    } catch (ParseException e) {
      throw new InvalidArgumentException(
          name, "must be an RFC 3339 time or a duration such as 90s, got " + value);
    }
  }
}
