package io.botfleet.bench.harness;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * The hot methods of a JFR recording, for bench/README.md's "what limits it": the share of
 * execution samples per top-of-stack method (where the CPU is spent), and per first botfleet method
 * on the stack (which of our code paths it is spent under).
 *
 * <p>Usage: {@code HotMethods recording.jfr [top=15]}
 */
public final class HotMethods {

  private HotMethods() {}

  public static void main(String[] args) throws Exception {
    int top = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    Map<String, Long> self = new HashMap<>();
    Map<String, Long> under = new HashMap<>();
    Map<String, Long> threads = new HashMap<>();
    long samples = 0;
    for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
      if (!event.getEventType().getName().equals("jdk.ExecutionSample")
          || event.getStackTrace() == null) {
        continue;
      }
      samples++;
      List<RecordedFrame> frames = event.getStackTrace().getFrames();
      if (frames.isEmpty()) {
        continue;
      }
      self.merge(name(frames.get(0)), 1L, Long::sum);
      String ours = "(no botfleet frame)";
      for (RecordedFrame frame : frames) {
        if (frame.isJavaFrame()
            && frame.getMethod().getType().getName().startsWith("io.botfleet.")) {
          ours = name(frame);
          break;
        }
      }
      under.merge(ours, 1L, Long::sum);
      Object thread = event.getValue("sampledThread");
      String threadName =
          thread == null
              ? "?"
              : String.valueOf(((jdk.jfr.consumer.RecordedThread) thread).getJavaName())
                  .replaceAll("[0-9]+", "N");
      threads.merge(threadName, 1L, Long::sum);
    }
    System.out.printf("%,d execution samples in %s%n", samples, args[0]);
    print("top-of-stack methods (self time)", self, samples, top);
    print("first botfleet method on the stack", under, samples, top);
    print("threads", threads, samples, 8);
  }

  private static String name(RecordedFrame frame) {
    return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
  }

  private static void print(String title, Map<String, Long> counts, long total, int top) {
    System.out.printf("%n%s:%n", title);
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(top)
        .forEach(
            e ->
                System.out.printf(
                    "  %5.1f %%  %s%n", 100.0 * e.getValue() / Math.max(1, total), e.getKey()));
  }
}
