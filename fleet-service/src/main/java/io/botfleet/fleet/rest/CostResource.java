package io.botfleet.fleet.rest;

import io.botfleet.billing.v1.BillingServiceGrpc;
import io.botfleet.billing.v1.CalculateRoiRequest;
import io.botfleet.billing.v1.GetBotCostSummaryRequest;
import io.botfleet.billing.v1.GetFleetCostSummaryRequest;
import io.botfleet.billing.v1.GetRoiRankingRequest;
import io.botfleet.common.auth.Caller;
import io.botfleet.fleet.client.BillingClient;
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
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * /api/v1/costs: cost summaries and ROI from billing-service, which fleet-service calls acting for
 * the operator after checking the BillingService RPC's rule for the caller (docs/decisions/0208). A
 * bot's reads about itself are made on fleet-service's own account. The period is a query
 * parameter: {@code period.month=2026-11}, {@code period.day=2026-11-25}, or {@code
 * period.range.start_date=...&period.range.end_date=...}.
 */
@Path("/api/v1/costs")
@Tag(name = "costs")
@Produces(MediaType.APPLICATION_JSON)
public class CostResource {

  @Inject RestGateway gateway;
  @Inject BillingClient billing;

  @GET
  @Path("/fleet")
  @Operation(
      summary = "The fleet's costs over a period",
      description = "By bot, category, group, strategy and exchange. E.g. ?period.month=2026-11.")
  @APIResponse(
      responseCode = "200",
      content = @Content(schema = @Schema(ref = "billing.v1.GetFleetCostSummaryResponse")))
  @Extension(
      name = "x-botfleet-rpc",
      value = "botfleet.billing.v1.BillingService/GetFleetCostSummary")
  public Response fleet(@Context HttpServerRequest http) {
    return gateway
        .call(
            http,
            null,
            BillingServiceGrpc.getGetFleetCostSummaryMethod(),
            GetFleetCostSummaryRequest.newBuilder())
        .ok(billing::fleetSummary);
  }

  @GET
  @Path("/bots/{bot_id}")
  @Operation(
      summary = "A bot's costs over a period",
      description = "E.g. ?period.day=2026-11-25. A bot may read its own.")
  @APIResponse(
      responseCode = "200",
      content =
          @Content(
              schema = @Schema(ref = "billing.v1.GetBotCostSummaryResponse"),
              examples =
                  @ExampleObject(
                      name = "month",
                      value =
                          """
                          {"bot_id": "bot-0123456789abcdef", "bot_name": "spot-arb-07",
                           "costs_by_category": {"exchange_fees": "412.50", "infrastructure": "120.00"},
                           "total_cost_usd": "532.50", "budget_usd": "800.00",
                           "budget_utilization_pct": "66.56",
                           "period": {"month": "2026-11"}}""")))
  @Extension(
      name = "x-botfleet-rpc",
      value = "botfleet.billing.v1.BillingService/GetBotCostSummary")
  public Response bot(@Context HttpServerRequest http, @PathParam("bot_id") String botId) {
    return gateway
        .call(
            http,
            null,
            BillingServiceGrpc.getGetBotCostSummaryMethod(),
            GetBotCostSummaryRequest.newBuilder())
        .path(Map.of("bot_id", botId))
        .ok(
            (GetBotCostSummaryRequest r) -> {
              // billing sees fleet-service, not the bot: the bot_self half of its rule is ours.
              Caller.requireSelfIfBot(r.getBotId());
              return billing.botSummary(r);
            });
  }

  @GET
  @Path("/bots/{bot_id}/roi")
  @Operation(
      summary = "A bot's ROI over a period",
      description =
          "Gross PnL, costs, net, roi_pct and the recommendation. A bot may read its own.")
  @APIResponse(
      responseCode = "200",
      content = @Content(schema = @Schema(ref = "billing.v1.CalculateRoiResponse")))
  @Extension(name = "x-botfleet-rpc", value = "botfleet.billing.v1.BillingService/CalculateRoi")
  public Response roi(@Context HttpServerRequest http, @PathParam("bot_id") String botId) {
    return gateway
        .call(
            http,
            null,
            BillingServiceGrpc.getCalculateRoiMethod(),
            CalculateRoiRequest.newBuilder())
        .path(Map.of("bot_id", botId))
        .ok(
            (CalculateRoiRequest r) -> {
              Caller.requireSelfIfBot(r.getBotId());
              return billing.roi(r);
            });
  }

  @GET
  @Path("/roi-ranking")
  @Operation(summary = "The fleet sorted by ROI, best first, with the recommendation per bot")
  @APIResponse(
      responseCode = "200",
      content = @Content(schema = @Schema(ref = "billing.v1.GetRoiRankingResponse")))
  @Extension(name = "x-botfleet-rpc", value = "botfleet.billing.v1.BillingService/GetRoiRanking")
  public Response ranking(@Context HttpServerRequest http) {
    return gateway
        .call(
            http,
            null,
            BillingServiceGrpc.getGetRoiRankingMethod(),
            GetRoiRankingRequest.newBuilder())
        .ok(billing::roiRanking);
  }
}
