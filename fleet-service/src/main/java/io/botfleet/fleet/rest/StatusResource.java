package io.botfleet.fleet.rest;

import io.botfleet.fleet.grpc.FleetGrpcService;
import io.botfleet.fleet.v1.FleetServiceGrpc;
import io.botfleet.fleet.v1.GetFleetStatusRequest;
import io.quarkus.grpc.GrpcService;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** GET /api/v1/status: the fleet at a glance (GetFleetStatus). */
@Path("/api/v1/status")
@Tag(name = "status")
@Produces(MediaType.APPLICATION_JSON)
public class StatusResource {

  @Inject RestGateway gateway;
  @Inject @GrpcService FleetGrpcService fleet;

  @GET
  @Operation(
      summary = "The fleet at a glance",
      description = "Bots per status, overall and per group.")
  @APIResponse(
      responseCode = "200",
      content =
          @Content(
              schema = @Schema(ref = "fleet.v1.GetFleetStatusResponse"),
              examples =
                  @ExampleObject(
                      name = "fleet",
                      value =
                          """
                          {"fleet_manager": "fleet-manager-acme", "total_bots": 12,
                           "status_counts": {"active": 10, "paused": 1, "stopped": 0, "dead": 1,
                                             "pending": 0, "standby": 0},
                           "group_counts": {"spot-arb": {"active": 4, "paused": 1, "stopped": 0,
                                            "dead": 0, "pending": 0, "standby": 0}},
                           "timestamp": "2026-11-25T03:00:00Z"}""")))
  @Extension(name = "x-botfleet-rpc", value = "botfleet.fleet.v1.FleetService/GetFleetStatus")
  public Response status(@Context HttpServerRequest http) {
    return gateway
        .call(
            http,
            null,
            FleetServiceGrpc.getGetFleetStatusMethod(),
            GetFleetStatusRequest.newBuilder())
        .ok(RestGateway.unary(fleet::getFleetStatus));
  }
}
