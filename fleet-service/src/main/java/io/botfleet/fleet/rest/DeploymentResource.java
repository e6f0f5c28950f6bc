package io.botfleet.fleet.rest;

import io.botfleet.deploy.v1.AbortDeploymentRequest;
import io.botfleet.deploy.v1.CreateDeploymentRequest;
import io.botfleet.deploy.v1.CreateDeploymentResponse;
import io.botfleet.deploy.v1.DeployServiceGrpc;
import io.botfleet.deploy.v1.GetDeploymentRequest;
import io.botfleet.deploy.v1.ListDeploymentsRequest;
import io.botfleet.deploy.v1.PauseDeploymentRequest;
import io.botfleet.deploy.v1.ResumeDeploymentRequest;
import io.botfleet.deploy.v1.RollbackDeploymentRequest;
import io.botfleet.fleet.client.DeployClient;
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
 * /api/v1/deployments: fleet-service authenticates and authorizes the operator by the DeployService
 * RPC's own rule, then calls deploy-service acting for that operator, which deploy-service checks
 * again and records as the actor (docs/decisions/0208-gateway-acting-for.md).
 */
@Path("/api/v1/deployments")
@Tag(name = "deployments")
@Produces(MediaType.APPLICATION_JSON)
public class DeploymentResource {

  private static final String REASON =
      """
      {"reason": "canary error rate 3x baseline"}""";

  @Inject RestGateway gateway;
  @Inject DeployClient deploy;

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Start a deployment",
      description =
          "Canary (default), rolling or all-at-once over a group or chosen bots, with health"
              + " gates and automatic rollback. 201 with Location: the deployment.")
  @RequestBody(
      content =
          @Content(
              schema = @Schema(ref = "deploy.v1.CreateDeploymentRequest"),
              examples =
                  @ExampleObject(
                      name = "canary",
                      value =
                          """
                          {"version": "1.9.0",
                           "artifact_ref": "registry.example.com/bots/spot-arb:1.9.0",
                           "selector": {"scope": {"group": "spot-arb"}},
                           "strategy": "STRATEGY_CANARY",
                           "parameters": {"canary_bake": "600s", "batch_size": 2},
                           "request_id": "c0ffee00-0000-4000-8000-000000000001"}""")))
  @APIResponse(
      responseCode = "201",
      content = @Content(schema = @Schema(ref = "deploy.v1.CreateDeploymentResponse")))
  @Extension(name = "x-botfleet-rpc", value = "botfleet.deploy.v1.DeployService/CreateDeployment")
  public Response create(@Context HttpServerRequest http, byte[] body) {
    return gateway
        .call(
            http,
            body,
            DeployServiceGrpc.getCreateDeploymentMethod(),
            CreateDeploymentRequest.newBuilder())
        .created(
            deploy::create,
            (CreateDeploymentResponse r) -> "/api/v1/deployments/" + r.getDeployment().getId());
  }

  @GET
  @Operation(
      summary = "List deployments, newest first",
      description = "Query parameters: group, states (repeatable), page_size, page_token.")
  @APIResponse(
      responseCode = "200",
      content = @Content(schema = @Schema(ref = "deploy.v1.ListDeploymentsResponse")))
  @Extension(name = "x-botfleet-rpc", value = "botfleet.deploy.v1.DeployService/ListDeployments")
  public Response list(@Context HttpServerRequest http) {
    return gateway
        .call(
            http,
            null,
            DeployServiceGrpc.getListDeploymentsMethod(),
            ListDeploymentsRequest.newBuilder())
        .ok(deploy::list);
  }

  @GET
  @Path("/{deployment_id}")
  @Operation(summary = "Get a deployment (with its bots and gate results)")
  @APIResponse(
      responseCode = "200",
      content = @Content(schema = @Schema(ref = "deploy.v1.GetDeploymentResponse")))
  @Extension(name = "x-botfleet-rpc", value = "botfleet.deploy.v1.DeployService/GetDeployment")
  public Response get(
      @Context HttpServerRequest http, @PathParam("deployment_id") String deploymentId) {
    return gateway
        .call(
            http,
            null,
            DeployServiceGrpc.getGetDeploymentMethod(),
            GetDeploymentRequest.newBuilder())
        .path(Map.of("deployment_id", deploymentId))
        .ok(deploy::get);
  }

  @POST
  @Path("/{deployment_id}/pause")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(summary = "Pause a deployment: nothing more is sent until it is resumed")
  @RequestBody(
      content =
          @Content(
              schema = @Schema(ref = "deploy.v1.PauseDeploymentRequest"),
              examples = @ExampleObject(name = "reason", value = REASON)))
  @APIResponse(
      responseCode = "200",
      content = @Content(schema = @Schema(ref = "deploy.v1.PauseDeploymentResponse")))
  @Extension(name = "x-botfleet-rpc", value = "botfleet.deploy.v1.DeployService/PauseDeployment")
  public Response pause(
      @Context HttpServerRequest http,
      @PathParam("deployment_id") String deploymentId,
      byte[] body) {
    return gateway
        .call(
            http,
            body,
            DeployServiceGrpc.getPauseDeploymentMethod(),
            PauseDeploymentRequest.newBuilder())
        .path(Map.of("deployment_id", deploymentId))
        .ok(deploy::pause);
  }

  @POST
  @Path("/{deployment_id}/resume")
  @Operation(summary = "Resume a paused deployment, or promote past a pause-until-promoted step")
  @APIResponse(
      responseCode = "200",
      content = @Content(schema = @Schema(ref = "deploy.v1.ResumeDeploymentResponse")))
  @Extension(name = "x-botfleet-rpc", value = "botfleet.deploy.v1.DeployService/ResumeDeployment")
  public Response resume(
      @Context HttpServerRequest http,
      @PathParam("deployment_id") String deploymentId,
      byte[] body) {
    return gateway
        .call(
            http,
            body,
            DeployServiceGrpc.getResumeDeploymentMethod(),
            ResumeDeploymentRequest.newBuilder())
        .path(Map.of("deployment_id", deploymentId))
        .ok(deploy::resume);
  }

  @POST
  @Path("/{deployment_id}/abort")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(summary = "Abort: stop where it is; updated bots keep the new version")
  @RequestBody(
      content =
          @Content(
              schema = @Schema(ref = "deploy.v1.AbortDeploymentRequest"),
              examples = @ExampleObject(name = "reason", value = REASON)))
  @APIResponse(
      responseCode = "200",
      content = @Content(schema = @Schema(ref = "deploy.v1.AbortDeploymentResponse")))
  @Extension(name = "x-botfleet-rpc", value = "botfleet.deploy.v1.DeployService/AbortDeployment")
  public Response abort(
      @Context HttpServerRequest http,
      @PathParam("deployment_id") String deploymentId,
      byte[] body) {
    return gateway
        .call(
            http,
            body,
            DeployServiceGrpc.getAbortDeploymentMethod(),
            AbortDeploymentRequest.newBuilder())
        .path(Map.of("deployment_id", deploymentId))
        .ok(deploy::abort);
  }

  @POST
  @Path("/{deployment_id}/rollback")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(summary = "Roll back every bot the deployment updated")
  @RequestBody(
      content =
          @Content(
              schema = @Schema(ref = "deploy.v1.RollbackDeploymentRequest"),
              examples = @ExampleObject(name = "reason", value = REASON)))
  @APIResponse(
      responseCode = "200",
      content = @Content(schema = @Schema(ref = "deploy.v1.RollbackDeploymentResponse")))
  @Extension(name = "x-botfleet-rpc", value = "botfleet.deploy.v1.DeployService/RollbackDeployment")
  public Response rollback(
      @Context HttpServerRequest http,
      @PathParam("deployment_id") String deploymentId,
      byte[] body) {
    return gateway
        .call(
            http,
            body,
            DeployServiceGrpc.getRollbackDeploymentMethod(),
            RollbackDeploymentRequest.newBuilder())
        .path(Map.of("deployment_id", deploymentId))
        .ok(deploy::rollback);
  }
}
