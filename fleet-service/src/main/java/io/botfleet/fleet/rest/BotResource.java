package io.botfleet.fleet.rest;

import io.botfleet.fleet.grpc.FleetGrpcService;
import io.botfleet.fleet.v1.DeregisterBotRequest;
import io.botfleet.fleet.v1.FleetServiceGrpc;
import io.botfleet.fleet.v1.GetBotRequest;
import io.botfleet.fleet.v1.ListBotsRequest;
import io.botfleet.fleet.v1.RegisterBotRequest;
import io.botfleet.fleet.v1.RegisterBotResponse;
import io.botfleet.fleet.v1.RevokeBotRequest;
import io.quarkus.grpc.GrpcService;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** /api/v1/bots: list, get, register, deregister, revoke (FleetService). */
@Path("/api/v1/bots")
@Tag(name = "bots")
@Produces(MediaType.APPLICATION_JSON)
public class BotResource {

  @Inject RestGateway gateway;
  @Inject @GrpcService FleetGrpcService fleet;

  @GET
  @Operation(
      summary = "List bots",
      description =
          "Filters are query parameters named after ListBotsRequest's fields: group, exchange,"
              + " strategy, version, statuses (repeatable: statuses=ACTIVE&statuses=PAUSED),"
              + " page_size, page_token.")
  @APIResponse(
      responseCode = "200",
      content = @Content(schema = @Schema(ref = "fleet.v1.ListBotsResponse")))
  @Extension(name = "x-botfleet-rpc", value = "botfleet.fleet.v1.FleetService/ListBots")
  public Response list(@Context HttpServerRequest http) {
    return gateway
        .call(http, null, FleetServiceGrpc.getListBotsMethod(), ListBotsRequest.newBuilder())
        .ok(RestGateway.unary(fleet::listBots));
  }

  @GET
  @Path("/{bot_id}")
  @Operation(summary = "Get a bot by id")
  @APIResponse(
      responseCode = "200",
      content = @Content(schema = @Schema(ref = "fleet.v1.GetBotResponse")))
  @Extension(name = "x-botfleet-rpc", value = "botfleet.fleet.v1.FleetService/GetBot")
  public Response get(@Context HttpServerRequest http, @PathParam("bot_id") String botId) {
    return gateway
        .call(http, null, FleetServiceGrpc.getGetBotMethod(), GetBotRequest.newBuilder())
        .path(Map.of("bot_id", botId))
        .ok(RestGateway.unary(fleet::getBot));
  }

  @GET
  @Path("/by-name/{name}")
  @Operation(summary = "Get a bot by name")
  @APIResponse(
      responseCode = "200",
      content = @Content(schema = @Schema(ref = "fleet.v1.GetBotResponse")))
  @Extension(name = "x-botfleet-rpc", value = "botfleet.fleet.v1.FleetService/GetBot")
  public Response byName(@Context HttpServerRequest http, @PathParam("name") String name) {
    return gateway
        .call(http, null, FleetServiceGrpc.getGetBotMethod(), GetBotRequest.newBuilder())
        .path(Map.of("name", name))
        .ok(RestGateway.unary(fleet::getBot));
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Register a bot",
      description =
          "Registers across identity, permission and health and answers the bot with its one-time"
              + " enrollment token (201, Location: the bot). Retrying with the same request_id"
              + " resumes the same registration.")
  @RequestBody(
      content =
          @Content(
              schema = @Schema(ref = "fleet.v1.RegisterBotRequest"),
              examples =
                  @ExampleObject(
                      name = "spot-arb",
                      value =
                          """
                          {"name": "spot-arb-07", "group": "spot-arb", "exchange": "binance",
                           "strategy": "cross-exchange-arb", "version": "2.4.1",
                           "tier": "TIER_TRADE", "max_position_usd": "25000",
                           "request_id": "6b0f3c52-7d1e-4f7a-9a51-0c2d3e4f5a6b"}""")))
  @APIResponse(
      responseCode = "201",
      content = @Content(schema = @Schema(ref = "fleet.v1.RegisterBotResponse")))
  @Extension(name = "x-botfleet-rpc", value = "botfleet.fleet.v1.FleetService/RegisterBot")
  public Response register(@Context HttpServerRequest http, byte[] body) {
    return gateway
        .call(http, body, FleetServiceGrpc.getRegisterBotMethod(), RegisterBotRequest.newBuilder())
        .created(
            RestGateway.unary(fleet::registerBot),
            (RegisterBotResponse r) -> "/api/v1/bots/" + r.getBot().getId());
  }

  @POST
  @Path("/{bot_id}/deregister")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Deregister a bot",
      description =
          "Sends the bot a shutdown with a grace period, then removes it from the fleet. Maps to"
              + " FleetService/DeregisterBot (ADMIN).")
  @RequestBody(
      content =
          @Content(
              schema = @Schema(ref = "fleet.v1.DeregisterBotRequest"),
              examples =
                  @ExampleObject(
                      name = "retire",
                      value =
                          """
                          {"grace_period_seconds": 60,
                           "request_id": "1d2c3b4a-0000-4000-8000-000000000001"}""")))
  @APIResponse(
      responseCode = "200",
      content = @Content(schema = @Schema(ref = "fleet.v1.DeregisterBotResponse")))
  @Extension(name = "x-botfleet-rpc", value = "botfleet.fleet.v1.FleetService/DeregisterBot")
  public Response deregister(
      @Context HttpServerRequest http, @PathParam("bot_id") String botId, byte[] body) {
    return gateway
        .call(
            http,
            body,
            FleetServiceGrpc.getDeregisterBotMethod(),
            DeregisterBotRequest.newBuilder())
        .path(Map.of("bot_id", botId))
        .ok(RestGateway.unary(fleet::deregisterBot));
  }

  @POST
  @Path("/{bot_id}/revoke")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Revoke a compromised bot",
      description =
          "Emergency-stops the bot (destroy_local_keys), revokes its identity and permissions.")
  @RequestBody(
      content =
          @Content(
              schema = @Schema(ref = "fleet.v1.RevokeBotRequest"),
              examples =
                  @ExampleObject(
                      name = "leaked key",
                      value =
                          """
                          {"reason": "API key found in a public repository",
                           "request_id": "1d2c3b4a-0000-4000-8000-000000000002"}""")))
  @APIResponse(
      responseCode = "200",
      content = @Content(schema = @Schema(ref = "fleet.v1.RevokeBotResponse")))
  @Extension(name = "x-botfleet-rpc", value = "botfleet.fleet.v1.FleetService/RevokeBot")
  public Response revoke(
      @Context HttpServerRequest http, @PathParam("bot_id") String botId, byte[] body) {
    return gateway
        .call(http, body, FleetServiceGrpc.getRevokeBotMethod(), RevokeBotRequest.newBuilder())
        .path(Map.of("bot_id", botId))
        .ok(RestGateway.unary(fleet::revokeBot));
  }
}
