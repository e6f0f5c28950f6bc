package io.botfleet.fleet.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.botfleet.common.error.InvalidArgumentException;
import io.botfleet.fleet.client.HealthClient;
import io.botfleet.fleet.config.RestConfig;
import io.botfleet.fleet.domain.FleetEventTypes;
import io.botfleet.fleet.grpc.FleetGrpcService;
import io.botfleet.fleet.service.EventFeedService;
import io.botfleet.fleet.v1.FleetServiceGrpc;
import io.botfleet.fleet.v1.ListEventsRequest;
import io.botfleet.health.v1.FleetHealthServiceGrpc;
import io.quarkus.grpc.GrpcService;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** /api/v1/events: the fleet's event log, and a live stream of it and of health changes. */
@Path("/api/v1/events")
@Tag(name = "events")
@Singleton
public class EventResource {

  @Inject RestGateway gateway;
  @Inject SignedHttpRequests signatures;
  @Inject @GrpcService FleetGrpcService fleet;
  @Inject EventFeedService feed;
  @Inject HealthClient health;
  @Inject ObjectMapper json;
  @Inject RestConfig config;

  private final ScheduledExecutorService scheduler =
      Executors.newScheduledThreadPool(
          2,
          r -> {
            Thread thread = new Thread(r, "fleet-event-streams");
            thread.setDaemon(true);
            return thread;
          });
  private final Set<EventStream> open = ConcurrentHashMap.newKeySet();

  private static final Set<String> STREAM_PARAMETERS = Set.of("health", "types", "bot_id");

  void stop(@Observes ShutdownEvent event) {
    open.forEach(EventStream::close);
    scheduler.shutdownNow();
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "The fleet's event log, newest first",
      description =
          "Query parameters: types (repeatable), bot_id, actor, start_time, end_time (RFC 3339),"
              + " page_size, page_token.")
  @APIResponse(
      responseCode = "200",
      content = @Content(schema = @Schema(ref = "fleet.v1.ListEventsResponse")))
  @Extension(name = "x-botfleet-rpc", value = "botfleet.fleet.v1.FleetService/ListEvents")
  public Response list(@Context HttpServerRequest http) {
    return gateway
        .call(http, null, FleetServiceGrpc.getListEventsMethod(), ListEventsRequest.newBuilder())
        .ok(RestGateway.unary(fleet::listEvents));
  }

  @GET
  @Path("/stream")
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @Operation(
      summary = "Live fleet events and health changes (server-sent events)",
      description =
          "Event `fleet`: an entry of the event log as it is written. Event `health`: a change"
              + " reported by health-service (first every bot's current status, unless resuming)."
              + " Each event's id is `<fleet position>.<health sequence>`: reconnect with it in"
              + " Last-Event-ID to resume both. Delivery is at least once. health=false leaves"
              + " health changes out; types (repeatable, e.g. fleet.emergency_stop) keeps only"
              + " those fleet events; bot_id keeps only the fleet events about that bot (its own or"
              + " naming it, such as a command to its group) and its health changes."
              + " A comment every 15 s keeps proxies from closing the stream."
              + " Needs the rights of ListEvents and, with health, of WatchHealth.")
  @APIResponse(
      responseCode = "200",
      content =
          @Content(
              mediaType = MediaType.SERVER_SENT_EVENTS,
              examples =
                  @ExampleObject(
                      name = "a pause",
                      value =
                          """
                          id: 4711.0
                          event: fleet
                          data: {"seq":4711,"id":"5d0c...","type":"fleet.command_issued",\
                          "bot_id":"bot-0123456789abcdef","actor":"op-3f9a1c2b7d4e8f01",\
                          "payload":{"command":"pause","bots_affected":1,...},\
                          "time":"2026-11-25T03:00:00Z"}

                          id: 4711.88
                          event: health
                          data: {"sequence":88,"type":"bot_dead","bot_id":"bot-fedcba9876543210",\
                          "status":"dead","message":"no heartbeat for 120 s","time":"..."}
                          """)))
  @Extension(name = "x-botfleet-rpc", value = "botfleet.fleet.v1.FleetService/ListEvents")
  public void stream(
      @Context HttpServerRequest http,
      @Context SseEventSink sink,
      @Context Sse sse,
      @HeaderParam("Last-Event-ID") String lastEventId,
      @QueryParam("health") @DefaultValue("true") boolean withHealth,
      @QueryParam("types") List<String> types,
      @QueryParam("bot_id") String botId) {
    if (withHealth) {
      signatures.authenticate(
          http,
          new byte[0],
          FleetServiceGrpc.getListEventsMethod(),
          FleetHealthServiceGrpc.getWatchHealthMethod());
    } else {
      signatures.authenticate(http, new byte[0], FleetServiceGrpc.getListEventsMethod());
    }
    EventStream.Filter filter = filter(http, types, botId);
    long fleetAfter;
    long healthAfter = 0;
    if (lastEventId == null || lastEventId.isBlank()) {
      fleetAfter = feed.lastSeq();
    } else {
      String[] parts = lastEventId.trim().split("\\.");
      try {
        fleetAfter = Long.parseLong(parts[0]);
        healthAfter = parts.length > 1 ? Long.parseLong(parts[1]) : 0;
      } catch (NumberFormatException e) {
        throw new InvalidArgumentException(
            "Last-Event-ID",
            "must be an id this stream sent (<fleet>.<health>), got " + lastEventId);
      }
    }
    EventStream[] holder = new EventStream[1];
    EventStream stream =
        new EventStream(
            sink,
            sse,
            json,
            feed,
            health,
            scheduler,
            new EventStream.Settings(
                config.eventPoll().toMillis(),
                config.eventGapTimeout().toMillis(),
                config.keepAlive().toMillis(),
                config.healthRetry().toMillis()),
            fleetAfter,
            healthAfter,
            withHealth,
            filter,
            () -> open.remove(holder[0]));
    holder[0] = stream;
    open.add(stream);
    stream.start();
  }

  /**
   * What a dashboard asked to see. Unknown parameters and event types are refused (400), as on
   * every other route: a typo must not silently show everything or nothing.
   */
  private static EventStream.Filter filter(
      HttpServerRequest http, List<String> types, String botId) {
    for (String name : http.params().names()) {
      if (!STREAM_PARAMETERS.contains(name)) {
        throw new InvalidArgumentException(
            name, "is not a parameter of the event stream (one of " + STREAM_PARAMETERS + ")");
      }
    }
    Set<String> wanted = new java.util.TreeSet<>();
    for (String type : types == null ? List.<String>of() : types) {
      if (!FleetEventTypes.all().contains(type)) {
        throw new InvalidArgumentException(
            "types", "unknown fleet event type " + type + "; one of " + FleetEventTypes.all());
      }
      wanted.add(type);
    }
    return new EventStream.Filter(wanted, botId == null ? "" : botId.trim());
  }
}
