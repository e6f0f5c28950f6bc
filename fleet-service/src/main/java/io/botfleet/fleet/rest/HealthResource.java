package io.botfleet.fleet.rest;

import io.botfleet.fleet.client.HealthClient;
import io.botfleet.health.v1.FleetHealthServiceGrpc;
import io.botfleet.health.v1.GetBotHealthRequest;
import io.botfleet.health.v1.GetFleetHealthDashboardRequest;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
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
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** /api/v1/health: health-service's dashboard and a bot's health, through fleet's health client. */
@Path("/api/v1/health")
@Tag(name = "health")
@Produces(MediaType.APPLICATION_JSON)
public class HealthResource {

  @Inject RestGateway gateway;
  @Inject HealthClient health;

  @GET
  @Path("/dashboard")
  @Operation(
      summary = "The fleet health dashboard",
      description = "Bots per health status, per group, and the bots that need attention.")
  @APIResponse(
      responseCode = "200",
      content = @Content(schema = @Schema(ref = "health.v1.GetFleetHealthDashboardResponse")))
  @Extension(
      name = "x-botfleet-rpc",
      value = "botfleet.health.v1.FleetHealthService/GetFleetHealthDashboard")
  public Response dashboard(@Context HttpServerRequest http) {
    return gateway
        .call(
            http,
            null,
            FleetHealthServiceGrpc.getGetFleetHealthDashboardMethod(),
            GetFleetHealthDashboardRequest.newBuilder())
        .ok((GetFleetHealthDashboardRequest r) -> health.dashboard());
  }

  @GET
  @Path("/bots/{bot_id}")
  @Operation(summary = "A bot's health: status, issues, last heartbeat")
  @APIResponse(
      responseCode = "200",
      content = @Content(schema = @Schema(ref = "health.v1.GetBotHealthResponse")))
  @Extension(name = "x-botfleet-rpc", value = "botfleet.health.v1.FleetHealthService/GetBotHealth")
  public Response bot(@Context HttpServerRequest http, @PathParam("bot_id") String botId) {
    return gateway
        .call(
            http,
            null,
            FleetHealthServiceGrpc.getGetBotHealthMethod(),
            GetBotHealthRequest.newBuilder())
        .path(Map.of("bot_id", botId))
        .ok(
            (GetBotHealthRequest r) -> {
              io.botfleet.common.auth.Caller.requireSelfIfBot(r.getBotId());
              return health.botHealth(r.getBotId());
            });
  }
}
