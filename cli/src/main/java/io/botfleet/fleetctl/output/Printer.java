package io.botfleet.fleetctl.output;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.io.PrintWriter;
import java.util.Map;

/**
 * Where results go, in the chosen format: aligned tables and "field: value" lines for people
 * (default), or protobuf JSON for scripts ({@code -o json}): the answer message exactly, every
 * field present, lowerCamelCase names as proto3 JSON defines them.
 */
public final class Printer {

  /** The output formats. */
  public enum Format {
    /** Tables and descriptions. */
    TABLE,
    /** Protobuf JSON. */
    JSON
  }

  private static final JsonFormat.Printer JSON =
      JsonFormat.printer().alwaysPrintFieldsWithNoPresence();

  private final PrintWriter out;
  private final Format format;

  /** A printer to {@code out}. */
  public Printer(PrintWriter out, Format format) {
    this.out = out;
    this.format = format;
  }

  /** True for {@code -o json}. */
  public boolean json() {
    return format == Format.JSON;
  }

  /** The stream. */
  public PrintWriter out() {
    return out;
  }

  /** A message as JSON. */
  public static String toJson(Message message) {
    try {
      return JSON.print(message);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot print " + message.getDescriptorForType(), e);
    }
  }

  /** Prints the answer as JSON, or the human form the caller gives. */
  public void print(Message answer, Runnable human) {
    if (json()) {
      out.println(toJson(answer));
    } else {
      human.run();
    }
    out.flush();
  }

  /** Prints the answer as JSON, or described field by field. */
  public void describe(Message answer) {
    print(answer, () -> Describe.lines(answer).forEach(out::println));
  }

  /** Prints a JSON object of named parts (each a message), for answers made of several calls. */
  public void jsonObject(Map<String, Message> parts) {
    StringBuilder json = new StringBuilder("{");
    boolean first = true;
    for (Map.Entry<String, Message> part : parts.entrySet()) {
      json.append(first ? "\n" : ",\n").append("  \"").append(part.getKey()).append("\": ");
      json.append(toJson(part.getValue()).replace("\n", "\n  "));
      first = false;
    }
    out.println(json.append("\n}"));
    out.flush();
  }

  /** A line for people (nothing in JSON mode: stdout stays parseable). */
  public void line(String text) {
    if (!json()) {
      out.println(text);
      out.flush();
    }
  }
}
