package io.botfleet.fleetctl.command;

import com.google.protobuf.Message;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.botfleet.common.v1.ListEventsRequest;
import io.botfleet.fleet.v1.GetFleetStatusRequest;
import io.botfleet.fleet.v1.GetFleetStatusResponse;
import io.botfleet.fleet.v1.StatusCounts;
import io.botfleet.fleetctl.ExitCodes;
import io.botfleet.fleetctl.config.Service;
import io.botfleet.fleetctl.grpc.Clients;
import io.botfleet.fleetctl.grpc.GrpcFailure;
import io.botfleet.fleetctl.output.Table;
import io.botfleet.fleetctl.output.Values;
import io.botfleet.health.v1.GetFleetHealthDashboardRequest;
import io.botfleet.health.v1.GetFleetHealthDashboardResponse;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;

/**
 * The first command at 3 AM: is every service answering (and accepting my key), and what state is
 * the fleet in — the guide's fleet status and the health dashboard's summary.
 */
@Command(
    name = "status",
    header = "Services reachable? The fleet's status counts per group, and its health summary.",
    description = {
      "Calls each service once (AuditService, a signed read), then fleet-service's GetFleetStatus"
          + " and health-service's dashboard. Exits 0 only if all of it answered; otherwise with"
          + " the code of the first failure, after printing what did answer."
    },
    footerHeading = "%nExamples:%n",
    footer = {"  fleetctl status", "  fleetctl status -o json | jq .fleet.totalBots"})
public final class StatusCommand extends BaseCommand {

  private record Probe(Service service, String endpoint, long millis, GrpcFailure failure) {}

  @Override
  protected int run(Session session) {
    Clients clients = session.clients();
    List<CompletableFuture<Probe>> probes = new ArrayList<>();
    for (Service service : Service.values()) {
      probes.add(CompletableFuture.supplyAsync(() -> probe(clients, service)));
    }
    List<Probe> results = probes.stream().map(CompletableFuture::join).toList();
    int code = ExitCodes.OK;
    for (Probe probe : results) {
      if (probe.failure() != null && code == ExitCodes.OK) {
        code = probe.failure().exitCode();
      }
    }
    GetFleetStatusResponse fleet = null;
    GrpcFailure fleetFailure = null;
    try {
      fleet = clients.fleet().getFleetStatus(GetFleetStatusRequest.getDefaultInstance());
    } catch (StatusRuntimeException e) {
      fleetFailure = GrpcFailure.of(e);
      code = code == ExitCodes.OK ? fleetFailure.exitCode() : code;
    }
    GetFleetHealthDashboardResponse health = null;
    GrpcFailure healthFailure = null;
    try {
      health =
          clients
              .health()
              .getFleetHealthDashboard(GetFleetHealthDashboardRequest.getDefaultInstance());
    } catch (StatusRuntimeException e) {
      healthFailure = GrpcFailure.of(e);
      code = code == ExitCodes.OK ? healthFailure.exitCode() : code;
    }
    if (session.out().json()) {
      Map<String, Message> parts = new LinkedHashMap<>();
      parts.put("services", servicesJson(results));
      if (fleet != null) {
        parts.put("fleet", fleet);
      }
      if (health != null) {
        parts.put("health", health);
      }
      session.out().jsonObject(parts);
    } else {
      PrintWriter out = session.out().out();
      Table services = new Table("SERVICE", "ENDPOINT", "STATE", "LATENCY");
      for (Probe p : results) {
        services.row(
            p.service().key(),
            p.endpoint(),
            p.failure() == null ? "ok" : p.failure().code().name(),
            p.failure() == null ? p.millis() + " ms" : "-");
      }
      services.print(out);
      out.println();
      if (fleet != null) {
        printFleet(out, fleet);
      } else {
        out.println("fleet status: unavailable (" + fleetFailure.code() + ")");
      }
      out.println();
      if (health != null) {
        printHealth(out, health);
      } else {
        out.println("health: unavailable (" + healthFailure.code() + ")");
      }
      out.flush();
    }
    for (Probe p : results) {
      if (p.failure() != null) {
        session.note("fleetctl: " + p.failure().lines().get(0));
      }
    }
    if (fleetFailure != null) {
      session.note("fleetctl: fleet status: " + fleetFailure.lines().get(0));
    }
    if (healthFailure != null) {
      session.note("fleetctl: health dashboard: " + healthFailure.lines().get(0));
    }
    return code;
  }

  private static Probe probe(Clients clients, Service service) {
    long start = System.nanoTime();
    try {
      clients.audit(service).listEvents(ListEventsRequest.newBuilder().setPageSize(1).build());
      return new Probe(
          service, clients.endpoint(service), (System.nanoTime() - start) / 1_000_000, null);
    } catch (StatusRuntimeException e) {
      return new Probe(service, clients.endpoint(service), -1, GrpcFailure.of(e));
    }
  }

  private static Struct servicesJson(List<Probe> results) {
    Struct.Builder services = Struct.newBuilder();
    for (Probe p : results) {
      Struct.Builder one =
          Struct.newBuilder()
              .putFields("endpoint", Value.newBuilder().setStringValue(p.endpoint()).build())
              .putFields(
                  "state",
                  Value.newBuilder()
                      .setStringValue(p.failure() == null ? "OK" : p.failure().code().name())
                      .build());
      if (p.failure() == null) {
        one.putFields("latencyMs", Value.newBuilder().setNumberValue(p.millis()).build());
      } else {
        one.putFields("message", Value.newBuilder().setStringValue(p.failure().message()).build());
      }
      services.putFields(p.service().key(), Value.newBuilder().setStructValue(one).build());
    }
    return services.build();
  }

  static void printFleet(PrintWriter out, GetFleetStatusResponse fleet) {
    out.printf(
        "Fleet %s: %d bots (at %s)%n",
        Values.text(fleet.getFleetManager()),
        fleet.getTotalBots(),
        Values.time(fleet.getTimestamp()));
    Table table =
        new Table("GROUP", "ACTIVE", "PAUSED", "STOPPED", "DEAD", "PENDING", "STANDBY", "TOTAL");
    for (Map.Entry<String, StatusCounts> group :
        new TreeMap<>(fleet.getGroupCountsMap()).entrySet()) {
      countsRow(table, group.getKey(), group.getValue());
    }
    countsRow(table, "(all)", fleet.getStatusCounts());
    table.print(out);
  }

  private static void countsRow(Table table, String name, StatusCounts c) {
    int total =
        c.getActive()
            + c.getPaused()
            + c.getStopped()
            + c.getDead()
            + c.getPending()
            + c.getStandby();
    table.row(
        name,
        c.getActive(),
        c.getPaused(),
        c.getStopped(),
        c.getDead(),
        c.getPending(),
        c.getStandby(),
        total);
  }

  static void printHealth(PrintWriter out, GetFleetHealthDashboardResponse health) {
    var s = health.getStatusSummary();
    out.printf(
        "Health: %d healthy, %d warning, %d critical, %d dead, %d unknown; PnL %s USD, %d trades%s%n",
        s.getHealthy(),
        s.getWarning(),
        s.getCritical(),
        s.getDead(),
        s.getUnknown(),
        Values.text(health.getFleetPnlUsd()),
        health.getFleetTradeCount(),
        health.getMassSilence() ? "  MASS SILENCE: dead-bot detection suspended" : "");
  }
}
