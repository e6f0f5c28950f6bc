package io.botfleet.fleetctl.output;

import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Duration;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Any message as indented "field: value" lines, for the commands that show one thing (a bot, a
 * deployment, an identity). Fields left empty are not shown; times are UTC, enums short, structs
 * compact JSON, maps sorted. Generic on purpose: a field added to a proto shows up with no change
 * here.
 */
public final class Describe {

  private Describe() {}

  /** The lines of a message. */
  public static List<String> lines(Message message) {
    List<String> lines = new ArrayList<>();
    append(lines, message, "");
    return lines;
  }

  private static void append(List<String> lines, Message message, String indent) {
    for (Map.Entry<FieldDescriptor, Object> entry : message.getAllFields().entrySet()) {
      FieldDescriptor field = entry.getKey();
      Object value = entry.getValue();
      String name = indent + field.getName() + ":";
      if (field.isMapField()) {
        lines.add(name);
        List<String> entries = new ArrayList<>();
        for (Object item : (List<?>) value) {
          Message pair = (Message) item;
          FieldDescriptor k = pair.getDescriptorForType().findFieldByName("key");
          FieldDescriptor v = pair.getDescriptorForType().findFieldByName("value");
          Object mapValue = pair.getField(v);
          if (mapValue instanceof Message nested && !isScalarMessage(nested)) {
            entries.add(indent + "  " + pair.getField(k) + ":");
            List<String> sub = new ArrayList<>();
            append(sub, nested, indent + "    ");
            entries.addAll(sub);
          } else {
            entries.add(indent + "  " + pair.getField(k) + ": " + scalar(v, mapValue));
          }
        }
        lines.addAll(sortedMapEntries(entries, indent + "  "));
      } else if (field.isRepeated()) {
        List<?> items = (List<?>) value;
        if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE
            && !isScalarMessage((Message) items.get(0))) {
          lines.add(name);
          for (Object item : items) {
            List<String> sub = new ArrayList<>();
            append(sub, (Message) item, indent + "    ");
            if (sub.isEmpty()) {
              lines.add(indent + "  - {}");
              continue;
            }
            lines.add(indent + "  - " + sub.get(0).substring(indent.length() + 4));
            lines.addAll(sub.subList(1, sub.size()));
          }
        } else {
          List<String> texts = new ArrayList<>();
          items.forEach(item -> texts.add(scalar(field, item)));
          lines.add(name + " " + String.join(", ", texts));
        }
      } else if (value instanceof Message nested && !isScalarMessage(nested)) {
        lines.add(name);
        append(lines, nested, indent + "  ");
      } else {
        lines.add(name + " " + scalar(field, value));
      }
    }
  }

  /** Map entries stay grouped with their nested lines; single-line entries are sorted. */
  private static List<String> sortedMapEntries(List<String> entries, String entryIndent) {
    List<List<String>> groups = new ArrayList<>();
    for (String line : entries) {
      if (line.startsWith(entryIndent) && !line.startsWith(entryIndent + " ")) {
        groups.add(new ArrayList<>(List.of(line)));
      } else {
        groups.get(groups.size() - 1).add(line);
      }
    }
    groups.sort((a, b) -> a.get(0).compareTo(b.get(0)));
    List<String> sorted = new ArrayList<>();
    groups.forEach(sorted::addAll);
    return sorted;
  }

  private static boolean isScalarMessage(Message message) {
    return message instanceof Timestamp
        || message instanceof Duration
        || message instanceof Struct
        || message instanceof Value;
  }

  private static String scalar(FieldDescriptor field, Object value) {
    if (value instanceof Timestamp t) {
      return Values.time(t);
    }
    if (value instanceof Duration d) {
      return Values.duration(d);
    }
    if (value instanceof Struct || value instanceof Value) {
      try {
        return JsonFormat.printer().omittingInsignificantWhitespace().print((Message) value);
      } catch (InvalidProtocolBufferException e) {
        return value.toString();
      }
    }
    if (value instanceof EnumValueDescriptor e) {
      return Values.enumName(e);
    }
    if (value instanceof Double d) {
      return Values.number(d);
    }
    if (value instanceof com.google.protobuf.ByteString bytes) {
      return java.util.Base64.getEncoder().encodeToString(bytes.toByteArray());
    }
    if (value instanceof Message m) {
      return m.toString().trim();
    }
    return String.valueOf(value);
  }
}
