package io.botfleet.bench.permission;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the service's CPU went during a phase, from its JFR recording (execution samples of every
 * Java thread). Each sample is counted once, by the first frame from the top of its stack that
 * belongs to a known part, so the shares add up to 100 %.
 */
final class JfrProfile {

  /** Parts of a call, matched against frame class names in this order. */
  private static final List<Map.Entry<String, List<String>>> PARTS =
      List.of(
          Map.entry("Ed25519 verify (BouncyCastle)", List.of("org.bouncycastle.")),
          Map.entry(
              "SHA-256 of the body, canonical string",
              List.of("sun.security.provider.", "io.botfleet.signing.CanonicalRequest")),
          Map.entry(
              "rest of request verification (headers, key cache, nonces)",
              List.of("io.botfleet.common.auth.", "io.botfleet.signing.", "java.util.Base64")),
          Map.entry("permission decision (domain)", List.of("io.botfleet.permission.domain.")),
          Map.entry(
              "permission adapter, mapping, metrics",
              List.of("io.botfleet.permission.", "io.micrometer.", "org.HdrHistogram.")),
          Map.entry("protobuf parse/serialize", List.of("com.google.protobuf.")),
          Map.entry(
              "gRPC, Vert.x, Netty, HTTP/2",
              List.of("io.grpc.", "io.vertx.", "io.netty.", "io.quarkus.grpc.")),
          Map.entry("JDK and other", List.of("")));

  private JfrProfile() {}

  /** Sample share per part within [start, end], and the number of samples. */
  static Map<String, Double> shares(Path recording, Instant start, Instant end, long[] total)
      throws IOException {
    Map<String, Long> counts = new LinkedHashMap<>();
    PARTS.forEach(part -> counts.put(part.getKey(), 0L));
    long samples = 0;
    try (RecordingFile file = new RecordingFile(recording)) {
      while (file.hasMoreEvents()) {
        RecordedEvent event = file.readEvent();
        if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
          continue;
        }
        Instant at = event.getStartTime();
        if (at.isBefore(start) || at.isAfter(end)) {
          continue;
        }
        RecordedStackTrace stack = event.getStackTrace();
        if (stack == null) {
          continue;
        }
        counts.merge(partOf(stack), 1L, Long::sum);
        samples++;
      }
    }
    total[0] = samples;
    Map<String, Double> shares = new LinkedHashMap<>();
    long all = Math.max(1, samples);
    counts.forEach((part, count) -> shares.put(part, 100.0 * count / all));
    return shares;
  }

  private static String partOf(RecordedStackTrace stack) {
    for (RecordedFrame frame : stack.getFrames()) {
      if (!frame.isJavaFrame()) {
        continue;
      }
      String type = frame.getMethod().getType().getName();
      for (Map.Entry<String, List<String>> part : PARTS.subList(0, PARTS.size() - 1)) {
        for (String prefix : part.getValue()) {
          if (type.startsWith(prefix)) {
            return part.getKey();
          }
        }
      }
    }
    return PARTS.get(PARTS.size() - 1).getKey();
  }
}
