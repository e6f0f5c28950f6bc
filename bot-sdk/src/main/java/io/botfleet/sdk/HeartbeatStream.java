package io.botfleet.sdk;

import com.google.protobuf.Timestamp;
import io.botfleet.health.v1.FleetHealthServiceGrpc;
import io.botfleet.health.v1.HealthIssue;
import io.botfleet.health.v1.Heartbeat;
import io.botfleet.health.v1.StreamHeartbeatsRequest;
import io.botfleet.health.v1.StreamHeartbeatsResponse;
import io.grpc.Status;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The heartbeat stream to health-service: a heartbeat every interval (sampled from the bot's
 * metrics), each answered with the evaluated status. Reopened with backoff when it fails, and
 * restarted when answers stop coming (a dead connection that nobody closed).
 */
final class HeartbeatStream {

  private static final System.Logger LOG = System.getLogger(HeartbeatStream.class.getName());
  private static final Pattern METRIC_NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");

  /** What health-service said about the last heartbeat. */
  record Answer(String status, List<String> issues, boolean accepted, Instant at) {}

  private final String bot;
  private final FleetHealthServiceGrpc.FleetHealthServiceStub stub;
  private final Supplier<Metrics> metrics;
  private final Supplier<Map<String, Double>> sdkMetrics;
  private final DeadMansSwitch deadMan;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;
  private final long intervalMillis;
  private final long answerTimeoutMillis;
  private final Backoff backoff;
  private final Set<String> warnedMetrics = ConcurrentHashMap.newKeySet();

  private Attempt current;
  private ScheduledFuture<?> reconnect;
  private boolean closed;
  private long sequence;
  private long nextSendAt;
  private final ArrayDeque<long[]> unanswered = new ArrayDeque<>();
  private volatile boolean sending = true;
  private volatile Answer lastAnswer;
  private volatile long reconnects;
  private String lastRefusal = "";

  HeartbeatStream(
      String bot,
      FleetHealthServiceGrpc.FleetHealthServiceStub stub,
      Supplier<Metrics> metrics,
      Supplier<Map<String, Double>> sdkMetrics,
      DeadMansSwitch deadMan,
      ScheduledExecutorService scheduler,
      Clock clock,
      long intervalMillis,
      long answerTimeoutMillis,
      Backoff backoff) {
    this.bot = bot;
    this.stub = stub;
    this.metrics = metrics;
    this.sdkMetrics = sdkMetrics;
    this.deadMan = deadMan;
    this.scheduler = scheduler;
    this.clock = clock;
    this.intervalMillis = intervalMillis;
    this.answerTimeoutMillis = answerTimeoutMillis;
    this.backoff = backoff;
  }

  synchronized void open() {
    if (closed || current != null) {
      return;
    }
    reconnect = null;
    Attempt attempt = new Attempt();
    current = attempt;
    deadMan.heartbeatStreamOpening();
    nextSendAt = clock.millis();
    stub.streamHeartbeats(attempt);
  }

  /** The client's tick: sends the heartbeat when due, and restarts a stream gone silent. */
  void tick() {
    long now = clock.millis();
    synchronized (this) {
      if (current == null || current.requests == null) {
        return;
      }
      if (!unanswered.isEmpty() && now - unanswered.peekFirst()[1] > answerTimeoutMillis) {
        current.requests.cancel(
            "no answer to heartbeat #"
                + unanswered.peekFirst()[0]
                + " for "
                + answerTimeoutMillis
                + " ms",
            null);
        return;
      }
      if (now < nextSendAt || !current.requests.isReady()) {
        // Not due, or the stream is not ready yet (just opened, or the transport is backed up):
        // a stale heartbeat helps nobody, so try again at the next tick rather than queue.
        return;
      }
      nextSendAt = now + intervalMillis;
    }
    Metrics sample;
    try {
      sample = metrics.get();
    } catch (RuntimeException e) {
      LOG.log(
          System.Logger.Level.ERROR, bot + ": the metrics supplier failed; heartbeat skipped", e);
      return;
    }
    sending = sample != null;
    if (sample == null) {
      return;
    }
    synchronized (this) {
      if (current == null || current.requests == null) {
        return;
      }
      long seq = ++sequence;
      Heartbeat heartbeat = heartbeat(sample, seq, now);
      current.requests.onNext(StreamHeartbeatsRequest.newBuilder().setHeartbeat(heartbeat).build());
      unanswered.addLast(new long[] {seq, now});
      deadMan.heartbeatSent(unanswered.peekFirst()[1]);
    }
  }

  /** False while the metrics supplier returns null (no heartbeats on purpose). */
  boolean sendingHeartbeats() {
    return sending;
  }

  /** True while the stream is open. */
  synchronized boolean up() {
    return current != null && current.requests != null;
  }

  Answer lastAnswer() {
    return lastAnswer;
  }

  long reconnects() {
    return reconnects;
  }

  /** Ends the stream politely (half-close). */
  synchronized void close() {
    closed = true;
    if (reconnect != null) {
      reconnect.cancel(false);
    }
    if (current != null && current.requests != null) {
      try {
        current.requests.onCompleted();
      } catch (RuntimeException ignored) {
        // already closed
      }
    }
    current = null;
  }

  /** Ends the stream at once, as a crash would. */
  synchronized void abort() {
    closed = true;
    if (reconnect != null) {
      reconnect.cancel(false);
    }
    if (current != null && current.requests != null) {
      current.requests.cancel("bot aborted", null);
    }
    current = null;
  }

  private Heartbeat heartbeat(Metrics sample, long seq, long now) {
    Heartbeat.Builder heartbeat =
        Heartbeat.newBuilder()
            .setSequence(seq)
            .setHeartbeatTime(
                Timestamp.newBuilder()
                    .setSeconds(Math.floorDiv(now, 1000))
                    .setNanos((int) Math.floorMod(now, 1000) * 1_000_000))
            .setVersion(sample.version())
            .setUptimeSeconds(sample.uptimeSeconds())
            .setHeartbeatLatencyMs(sample.heartbeatLatencyMs())
            .setPnlUsd(sample.pnlUsd().toPlainString())
            .setDrawdownPct(sample.drawdownPct())
            .setTradeCount(sample.tradeCount())
            .setOpenPositions(sample.openPositions())
            .setOpenOrders(sample.openOrders())
            .setMemoryMb(sample.memoryMb())
            .setCpuPct(sample.cpuPct())
            .setErrorCount(sample.errorCount());
    int kept = 0;
    for (Map.Entry<String, Double> metric : sample.custom().entrySet()) {
      String name = metric.getKey();
      Double value = metric.getValue();
      String problem =
          !METRIC_NAME.matcher(name).matches()
              ? "is not a valid name ([a-z][a-z0-9_]{0,63})"
              : name.startsWith("sdk_")
                  ? "uses the prefix sdk_, reserved for the SDK's own metrics"
                  : value == null || !Double.isFinite(value)
                      ? "is not a finite number"
                      : kept >= Metrics.MAX_CUSTOM_METRICS
                          ? "is beyond the "
                              + Metrics.MAX_CUSTOM_METRICS
                              + " custom metrics allowed"
                          : null;
      if (problem != null) {
        if (warnedMetrics.add(name)) {
          LOG.log(
              System.Logger.Level.WARNING,
              "{0}: custom metric {1} {2}; not sent",
              bot,
              name,
              problem);
        }
        continue;
      }
      heartbeat.putCustomMetrics(name, value);
      kept++;
    }
    heartbeat.putAllCustomMetrics(sdkMetrics.get());
    return heartbeat.build();
  }

  private synchronized void answered(Attempt attempt, StreamHeartbeatsResponse response) {
    if (attempt != current) {
      return;
    }
    while (!unanswered.isEmpty() && unanswered.peekFirst()[0] <= response.getSequence()) {
      unanswered.pollFirst();
    }
    backoff.reset();
    deadMan.heartbeatAnswered(unanswered.isEmpty() ? null : unanswered.peekFirst()[1]);
    lastAnswer =
        new Answer(
            response.getStatus().name().replace("HEALTH_STATUS_", ""),
            response.getIssuesList().stream().map(HealthIssue::getText).toList(),
            response.getAccepted(),
            clock.instant());
    if (!response.getAccepted()) {
      String refusal =
          response.getErrorsList().stream()
              .map(error -> error.getField() + ": " + error.getDescription())
              .toList()
              .toString();
      if (!refusal.equals(lastRefusal)) {
        LOG.log(
            System.Logger.Level.WARNING,
            "{0}: health-service refused heartbeat #{1}: {2}",
            bot,
            response.getSequence(),
            refusal);
      }
      lastRefusal = refusal;
    } else {
      lastRefusal = "";
    }
  }

  private synchronized void ended(Attempt attempt, Status status) {
    if (attempt != current) {
      return;
    }
    current = null;
    unanswered.clear();
    String reason = "heartbeat stream down: " + describe(status);
    deadMan.heartbeatStreamDown(reason);
    if (closed) {
      return;
    }
    long delay = backoff.nextDelayMillis();
    LOG.log(
        backoff.attempts() == 1 ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG,
        "{0}: {1}; reconnecting in {2} ms",
        bot,
        reason,
        delay);
    reconnects++;
    reconnect = scheduler.schedule(this::open, delay, TimeUnit.MILLISECONDS);
  }

  static String describe(Status status) {
    return status.getCode()
        + (status.getDescription() == null ? "" : " (" + status.getDescription() + ")");
  }

  /** One opening of the stream. */
  private final class Attempt
      extends StreamAttempt<StreamHeartbeatsRequest, StreamHeartbeatsResponse> {

    Attempt() {
      super("health-service");
    }

    @Override
    public void onNext(StreamHeartbeatsResponse response) {
      answered(this, response);
    }

    @Override
    void streamEnded(Status status) {
      ended(this, status);
    }
  }
}
