package io.botfleet.fleetctl.command;

import com.google.protobuf.util.Timestamps;
import io.botfleet.common.v1.Event;
import io.botfleet.common.v1.ListEventsRequest;
import io.botfleet.common.v1.ListEventsResponse;
import io.botfleet.fleetctl.ExitCodes;
import io.botfleet.fleetctl.config.Service;
import io.botfleet.fleetctl.output.Printer;
import io.botfleet.fleetctl.output.Table;
import io.botfleet.fleetctl.output.Values;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The audit trail of the whole fleet: each service keeps its own log (common.v1 AuditService); this
 * merges the six by time, newest first, so that an operator sees one story.
 */
@Command(
    name = "events",
    header = "The audit trail of all six services, merged by time, newest first.",
    description =
        "Every state change a service made, with who caused it. A service that cannot be reached"
            + " is named on stderr and the others are still shown (exit 5 then).",
    footerHeading = "%nExamples:%n",
    footer = {
      "  fleetctl events --since -1h",
      "  fleetctl events --bot spot-arb-01 --type fleet.emergency_stop --limit 20",
      "  fleetctl events --service fleet --service deploy -o json"
    })
public final class EventsCommand extends BaseCommand {

  @Option(
      names = "--service",
      paramLabel = "SERVICE",
      description =
          "Only this service's log (repeat): fleet, identity, permission, health,"
              + " deploy, billing (default: all six).")
  List<String> services;

  @Option(names = "--type", paramLabel = "TYPE", description = "Only events of this type (repeat).")
  List<String> types;

  @Option(
      names = "--bot",
      paramLabel = "BOT",
      description = "Only events about this bot (name or id) or other agent id.")
  String bot;

  @Option(
      names = "--since",
      paramLabel = "TIME",
      description = "Only events at or after: -1h, -7d, 2026-01-01, 2026-01-01T08:00:00Z.")
  String since;

  @Option(names = "--until", paramLabel = "TIME", description = "Only events before this time.")
  String until;

  @Option(names = "--limit", paramLabel = "N", description = "At most this many (default 50).")
  int limit = 50;

  @Override
  protected int run(Session session) {
    if (limit < 1 || limit > 10_000) {
      throw usage("--limit: 1 to 10000, got " + limit);
    }
    List<Service> from = new ArrayList<>();
    try {
      for (String key : services == null ? List.<String>of() : services) {
        from.add(Service.of(key));
      }
    } catch (IllegalArgumentException e) {
      throw usage("--service: " + e.getMessage());
    }
    if (from.isEmpty()) {
      from.addAll(List.of(Service.values()));
    }
    Instant now = Instant.now();
    ListEventsRequest.Builder request = ListEventsRequest.newBuilder();
    if (types != null) {
      request.addAllTypes(types);
    }
    if (since != null) {
      request.setStartTime(Args.time(since, "--since", now));
    }
    if (until != null) {
      request.setEndTime(Args.time(until, "--until", now));
    }
    if (bot != null) {
      request.setAgentId(session.bots().id(bot));
    }
    request.setPageSize(Math.min(limit, 1000));

    List<Event> events = new ArrayList<>();
    int exit = ExitCodes.OK;
    for (Service service : from) {
      try {
        events.addAll(read(session, service, request));
      } catch (StatusRuntimeException e) {
        // One service down must not hide the others' trail at 3 AM: say so and go on.
        session.note(
            "fleetctl: "
                + service.key()
                + "-service's events are missing: "
                + e.getStatus().getCode()
                + (e.getStatus().getDescription() == null
                    ? ""
                    : " " + e.getStatus().getDescription()));
        exit = Math.max(exit, ExitCodes.of(e.getStatus().getCode()));
        if (e.getStatus().getCode() == Status.Code.PERMISSION_DENIED) {
          return ExitCodes.DENIED;
        }
      }
    }
    events.sort(
        Comparator.comparing(Event::getCreateTime, Timestamps.comparator())
            .reversed()
            .thenComparing(Event::getId));
    ListEventsResponse answer =
        ListEventsResponse.newBuilder()
            .addAllEvents(events.subList(0, Math.min(limit, events.size())))
            .build();
    print(session.out(), answer);
    return exit;
  }

  private List<Event> read(Session session, Service service, ListEventsRequest.Builder request) {
    List<Event> events = new ArrayList<>();
    String token = "";
    do {
      ListEventsResponse page =
          session.clients().audit(service).listEvents(request.setPageToken(token).build());
      events.addAll(page.getEventsList());
      token = page.getNextPageToken();
    } while (!token.isEmpty() && events.size() < limit);
    return events;
  }

  private static void print(Printer out, ListEventsResponse answer) {
    out.print(
        answer,
        () -> {
          Table table = new Table("TIME", "SERVICE", "TYPE", "AGENT", "ACTOR", "PAYLOAD");
          for (Event e : answer.getEventsList()) {
            table.row(
                Values.time(e.getCreateTime()),
                e.getService(),
                e.getType(),
                e.getAgentId(),
                e.getActor(),
                Values.json(e.getPayload()));
          }
          table.print(out.out());
        });
  }
}
