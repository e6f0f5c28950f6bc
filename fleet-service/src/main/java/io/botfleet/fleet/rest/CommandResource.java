package io.botfleet.fleet.rest;

import io.botfleet.fleet.grpc.FleetGrpcService;
import io.botfleet.fleet.v1.EmergencyStopRequest;
import io.botfleet.fleet.v1.FleetServiceGrpc;
import io.botfleet.fleet.v1.GetCommandStatusRequest;
import io.botfleet.fleet.v1.PauseBotsRequest;
import io.botfleet.fleet.v1.ResumeBotsRequest;
import io.botfleet.fleet.v1.SendCommandRequest;
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

/**
 * /api/v1/commands: pause, resume, emergency stop and any command, at fleet, group or bot scope,
 * and a command's delivery status (FleetService).
 */
@Path("/api/v1/commands")
@Tag(name = "commands")
@Produces(MediaType.APPLICATION_JSON)
public class CommandResource {

  private static final String ISSUED =
      """
      {"command": {"id": "0b9e6c1e-5f0a-4c55-9d0e-7a1b2c3d4e5f", "type": "pause",
        "payload": {"command": "pause", "reason": "exchange maintenance",
                    "timestamp": "2026-11-25T03:00:00Z"},
        "scope": {"group": "spot-arb"}, "issued_by": "op-3f9a1c2b7d4e8f01",
        "create_time": "2026-11-25T03:00:00Z", "expire_time": "2026-11-25T04:00:00Z",
        "request_id": "a4c1e2d3-0000-4000-8000-000000000010", "priority": false,
        "target_count": 2, "delivery_counts": {"pending": 2}},
       "bot_ids": ["bot-0123456789abcdef", "bot-fedcba9876543210"]}""";

  @Inject RestGateway gateway;
  @Inject @GrpcService FleetGrpcService fleet;

  @POST
  @Path("/pause")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Pause bots",
      description =
          "scope is exactly one of {\"fleet\": true}, {\"group\": \"G\"} or"
              + " {\"bots\": {\"bot_ids\": [...]}}. Answers once permission-service enforces the"
              + " pause (or after botfleet.fleet.enforcement-wait, retried in the background).")
  @RequestBody(
      content =
          @Content(
              schema = @Schema(ref = "fleet.v1.PauseBotsRequest"),
              examples =
                  @ExampleObject(
                      name = "group",
                      value =
                          """
                          {"scope": {"group": "spot-arb"}, "reason": "exchange maintenance",
                           "ttl": "3600s", "request_id": "a4c1e2d3-0000-4000-8000-000000000010"}""")))
  @APIResponse(
      responseCode = "200",
      content =
          @Content(
              schema = @Schema(ref = "fleet.v1.PauseBotsResponse"),
              examples = @ExampleObject(name = "issued", value = ISSUED)))
  @Extension(name = "x-botfleet-rpc", value = "botfleet.fleet.v1.FleetService/PauseBots")
  public Response pause(@Context HttpServerRequest http, byte[] body) {
    return gateway
        .call(http, body, FleetServiceGrpc.getPauseBotsMethod(), PauseBotsRequest.newBuilder())
        .ok(RestGateway.unary(fleet::pauseBots));
  }

  @POST
  @Path("/resume")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(summary = "Resume bots", description = "Same scopes as pause.")
  @RequestBody(
      content =
          @Content(
              schema = @Schema(ref = "fleet.v1.ResumeBotsRequest"),
              examples =
                  @ExampleObject(
                      name = "bots",
                      value =
                          """
                          {"scope": {"bots": {"bot_ids": ["bot-0123456789abcdef"]}},
                           "reason": "maintenance over",
                           "request_id": "a4c1e2d3-0000-4000-8000-000000000011"}""")))
  @APIResponse(
      responseCode = "200",
      content = @Content(schema = @Schema(ref = "fleet.v1.ResumeBotsResponse")))
  @Extension(name = "x-botfleet-rpc", value = "botfleet.fleet.v1.FleetService/ResumeBots")
  public Response resume(@Context HttpServerRequest http, byte[] body) {
    return gateway
        .call(http, body, FleetServiceGrpc.getResumeBotsMethod(), ResumeBotsRequest.newBuilder())
        .ok(RestGateway.unary(fleet::resumeBots));
  }

  @POST
  @Path("/emergency-stop")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Emergency stop (the kill switch)",
      description =
          "Delivered ahead of anything queued; cancels queued resumes. Actions default to"
              + " cancel_all_open_orders, close_all_positions_market, halt_trading_loop.")
  @RequestBody(
      content =
          @Content(
              schema = @Schema(ref = "fleet.v1.EmergencyStopRequest"),
              examples =
                  @ExampleObject(
                      name = "fleet",
                      value =
                          """
                          {"scope": {"fleet": true}, "reason": "flash crash on BTC-USDT",
                           "request_id": "a4c1e2d3-0000-4000-8000-000000000012"}""")))
  @APIResponse(
      responseCode = "200",
      content = @Content(schema = @Schema(ref = "fleet.v1.EmergencyStopResponse")))
  @Extension(name = "x-botfleet-rpc", value = "botfleet.fleet.v1.FleetService/EmergencyStop")
  public Response emergencyStop(@Context HttpServerRequest http, byte[] body) {
    return gateway
        .call(
            http,
            body,
            FleetServiceGrpc.getEmergencyStopMethod(),
            EmergencyStopRequest.newBuilder())
        .ok(RestGateway.unary(fleet::emergencyStop));
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Send a command",
      description = "Any command type with a JSON payload, delivered at least once per bot.")
  @RequestBody(
      content =
          @Content(
              schema = @Schema(ref = "fleet.v1.SendCommandRequest"),
              examples =
                  @ExampleObject(
                      name = "reload",
                      value =
                          """
                          {"scope": {"group": "perp-momentum"}, "type": "reload_config",
                           "payload": {"config_version": "2026-11-25"}, "ttl": "600s",
                           "request_id": "a4c1e2d3-0000-4000-8000-000000000013"}""")))
  @APIResponse(
      responseCode = "200",
      content = @Content(schema = @Schema(ref = "fleet.v1.SendCommandResponse")))
  @Extension(name = "x-botfleet-rpc", value = "botfleet.fleet.v1.FleetService/SendCommand")
  public Response send(@Context HttpServerRequest http, byte[] body) {
    return gateway
        .call(http, body, FleetServiceGrpc.getSendCommandMethod(), SendCommandRequest.newBuilder())
        .ok(RestGateway.unary(fleet::sendCommand));
  }

  @GET
  @Path("/{command_id}")
  @Operation(
      summary = "A command's delivery status",
      description = "Query parameters: states (repeatable), page_size, page_token.")
  @APIResponse(
      responseCode = "200",
      content = @Content(schema = @Schema(ref = "fleet.v1.GetCommandStatusResponse")))
  @Extension(name = "x-botfleet-rpc", value = "botfleet.fleet.v1.FleetService/GetCommandStatus")
  public Response status(
      @Context HttpServerRequest http, @PathParam("command_id") String commandId) {
    return gateway
        .call(
            http,
            null,
            FleetServiceGrpc.getGetCommandStatusMethod(),
            GetCommandStatusRequest.newBuilder())
        .path(Map.of("command_id", commandId))
        .ok(RestGateway.unary(fleet::getCommandStatus));
  }
}
