package io.botfleet.fleet.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.PostgresTestResource;
import io.botfleet.devkit.TestPrincipal;
import io.botfleet.fleet.FleetTestSupport;
import io.botfleet.fleet.fakes.FakeServicesTestResource;
import io.botfleet.fleet.v1.Bot;
import io.botfleet.fleet.v1.PauseBotsRequest;
import io.botfleet.health.v1.HealthEventType;
import io.botfleet.health.v1.HealthStatus;
import io.botfleet.health.v1.WatchHealthResponse;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The server-sent-event stream delivers fleet events and health changes, and resumes. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
@QuarkusTestResource(FakeServicesTestResource.class)
class EventStreamTest extends FleetTestSupport {

  /** One server-sent event. */
  record Sse(String id, String event, String data) {}

  /** An open stream and the events read from it (on a reader thread). */
  static final class Stream implements AutoCloseable {
    final HttpResponse<java.io.InputStream> response;
    final BlockingQueue<Sse> events = new LinkedBlockingQueue<>();
    final Thread reader;

    Stream(HttpResponse<java.io.InputStream> response) {
      this.response = response;
      this.reader =
          new Thread(
              () -> {
                try (BufferedReader lines =
                    new BufferedReader(
                        new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                  String id = null;
                  String event = null;
                  StringBuilder data = new StringBuilder();
                  String line;
                  while ((line = lines.readLine()) != null) {
                    if (line.isEmpty()) {
                      if (event != null || data.length() > 0) {
                        events.add(new Sse(id, event, data.toString()));
                      }
                      event = null;
                      data.setLength(0);
                    } else if (line.startsWith("id:")) {
                      id = line.substring(3).trim();
                    } else if (line.startsWith("event:")) {
                      event = line.substring(6).trim();
                    } else if (line.startsWith("data:")) {
                      data.append(line.substring(5).trim());
                    }
                  }
                } catch (Exception e) {
                  // closed by the test
                }
              },
              "sse-reader");
      reader.setDaemon(true);
      reader.start();
    }

    /** The next event named {@code name} whose data contains {@code text}. */
    Sse next(String name, String text) throws InterruptedException {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      List<Sse> seen = new ArrayList<>();
      while (System.nanoTime() < end) {
        Sse e = events.poll(200, TimeUnit.MILLISECONDS);
        if (e == null) {
          continue;
        }
        if (name.equals(e.event()) && e.data().contains(text)) {
          return e;
        }
        seen.add(e);
      }
      throw new AssertionError("no " + name + " event with " + text + "; saw " + seen);
    }

    @Override
    public void close() throws Exception {
      response.body().close();
    }
  }

  static Stream open(TestPrincipal principal, String target, String lastEventId) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + target))
            .header("Accept", "text/event-stream")
            .timeout(Duration.ofSeconds(30));
    if (principal != null) {
      for (Map.Entry<String, String> h :
          HttpSigning.headers(principal, "GET", target, new byte[0]).entrySet()) {
        request.header(h.getKey(), h.getValue());
      }
    }
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    HttpResponse<java.io.InputStream> response =
        HttpClient.newHttpClient()
            .send(request.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    return new Stream(response);
  }

  @Test
  void aDashboardSeesAFleetEventAndAHealthChangeAndResumesAfterThem() throws Exception {
    Bot bot = register("g-" + unique(), "binance");
    String fleetEventId;
    try (Stream stream = open(viewer(), "/api/v1/events/stream", null)) {
      assertThat(stream.response.statusCode()).isEqualTo(200);
      assertThat(stream.response.headers().firstValue("content-type").orElse(""))
          .startsWith("text/event-stream");

      fleet(operator())
          .pauseBots(
              PauseBotsRequest.newBuilder()
                  .setScope(bots(bot.getId()))
                  .setReason("sse test")
                  .setRequestId(requestId())
                  .build());
      Sse paused = stream.next("fleet", "\"bot_id\":\"" + bot.getId() + "\"");
      assertThat(paused.data()).contains("\"type\":\"fleet.");
      assertThat(paused.id()).matches("\\d+\\.\\d+");
      fleetEventId = paused.id();

      fakes()
          .health
          .emit(
              WatchHealthResponse.newBuilder()
                  .setType(HealthEventType.HEALTH_EVENT_TYPE_STATUS_CHANGED)
                  .setBotId(bot.getId())
                  .setStatus(HealthStatus.HEALTH_STATUS_WARNING)
                  .setMessage("latency p99 above 500 ms"));
      Sse health = stream.next("health", "latency p99 above 500 ms");
      assertThat(health.data()).contains("\"status\":\"warning\"").contains(bot.getId());
    }

    // Resuming after the pause: later events of the bot arrive, the pause itself does not again.
    try (Stream resumed = open(viewer(), "/api/v1/events/stream?health=false", fleetEventId)) {
      fleet(operator())
          .resumeBots(
              io.botfleet.fleet.v1.ResumeBotsRequest.newBuilder()
                  .setScope(bots(bot.getId()))
                  .setReason("sse resume")
                  .setRequestId(requestId())
                  .build());
      Sse next = resumed.next("fleet", "sse resume");
      long seq = Long.parseLong(next.id().split("\\.")[0]);
      assertThat(seq).isGreaterThan(Long.parseLong(fleetEventId.split("\\.")[0]));
    }
  }

  @Test
  void aDashboardCanFollowSomeEventTypesOfOneBot() throws Exception {
    Bot watched = register("g-" + unique(), "binance");
    Bot other = register("g-" + unique(), "binance");
    String target =
        "/api/v1/events/stream?types=fleet.command_issued&types=fleet.emergency_stop&bot_id="
            + watched.getId();
    try (Stream stream = open(viewer(), target, null)) {
      assertThat(stream.response.statusCode()).isEqualTo(200);
      for (Bot bot : List.of(other, watched)) {
        fleet(operator())
            .pauseBots(
                PauseBotsRequest.newBuilder()
                    .setScope(bots(bot.getId()))
                    .setReason("filter test")
                    .setRequestId(requestId())
                    .build());
      }
      for (Bot bot : List.of(other, watched)) {
        fakes()
            .health
            .emit(
                WatchHealthResponse.newBuilder()
                    .setType(HealthEventType.HEALTH_EVENT_TYPE_STATUS_CHANGED)
                    .setBotId(bot.getId())
                    .setStatus(HealthStatus.HEALTH_STATUS_WARNING)
                    .setMessage("filtered " + bot.getId()));
      }
      // The watched bot's pause and health change arrive; nothing of the other bot, and none of
      // the other fleet events of the pause (command_issued and the like).
      List<Sse> seen = new ArrayList<>();
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while (seen.stream().noneMatch(e -> "health".equals(e.event()))
          || seen.stream().noneMatch(e -> "fleet".equals(e.event()))) {
        assertThat(System.nanoTime()).as("both events within 15 s; saw " + seen).isLessThan(end);
        Sse e = stream.events.poll(200, TimeUnit.MILLISECONDS);
        if (e != null) {
          seen.add(e);
        }
      }
      Thread.sleep(300);
      stream.events.drainTo(seen);
      assertThat(seen).allMatch(e -> e.data().contains(watched.getId()));
      assertThat(seen).noneMatch(e -> e.data().contains(other.getId()));
      assertThat(seen.stream().filter(e -> "fleet".equals(e.event())))
          .allMatch(e -> e.data().contains("\"type\":\"fleet.command_issued\""));
    }
  }

  @Test
  void aMistypedFilterIsA400NamingIt() throws Exception {
    HttpResponse<String> untyped = get(viewer(), "/api/v1/events/stream?types=bot_paused");
    assertThat(untyped.statusCode()).isEqualTo(400);
    assertThat(untyped.body()).containsPattern("\"field\"\\s*:\\s*\"types\"");
    HttpResponse<String> unknown = get(viewer(), "/api/v1/events/stream?type=fleet.command_issued");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.body()).containsPattern("\"field\"\\s*:\\s*\"type\"");
  }

  static HttpResponse<String> get(TestPrincipal principal, String target) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + target))
            .timeout(Duration.ofSeconds(30));
    HttpSigning.headers(principal, "GET", target, new byte[0]).forEach(request::header);
    return HttpClient.newHttpClient()
        .send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void anUnsignedStreamIsRefusedWithAProblem() throws Exception {
    try (Stream stream = open(null, "/api/v1/events/stream", null)) {
      assertThat(stream.response.statusCode()).isEqualTo(401);
      assertThat(stream.response.headers().firstValue("content-type").orElse(""))
          .startsWith(ProblemMapper.PROBLEM_JSON);
    }
  }
}
