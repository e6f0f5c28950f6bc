package io.botfleet.fleetctl.command;

import io.botfleet.fleetctl.ExitCodes;
import io.botfleet.fleetctl.config.Durations;
import io.botfleet.fleetctl.output.Printer;
import io.botfleet.fleetctl.output.Table;
import io.botfleet.fleetctl.output.Values;
import io.botfleet.health.v1.GetFleetHealthDashboardRequest;
import io.botfleet.health.v1.GetFleetHealthDashboardResponse;
import io.botfleet.health.v1.HealthEventType;
import io.botfleet.health.v1.WatchHealthRequest;
import io.botfleet.health.v1.WatchHealthResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A live table of every bot's health: WatchHealth's snapshot (one STATUS_CHANGED per bot), then
 * each change as it happens, with the dashboard's counts on top. At a terminal the table is redrawn
 * in place; piped (or with -o json) each event is one line. A lost stream resumes from the last
 * event seen.
 */
@Command(
    name = "watch",
    header = "A live table of every bot's health (WatchHealth), redrawn as it changes.",
    description = {
      "Runs until interrupted (Ctrl-C) or --for ends. Piped, or with -o json, prints one line per"
          + " event instead (JSON lines with -o json). Reconnects by itself and resumes where it"
          + " was."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  fleetctl health watch",
      "  fleetctl health watch --group options-mm --sort status",
      "  fleetctl health watch -o json --for 10m > health-events.jsonl"
    })
public final class HealthWatchCommand extends BaseCommand {

  @Option(names = "--group", description = "Only this group.")
  String group;

  @Option(
      names = "--for",
      paramLabel = "DURATION",
      description = "Stop after this long (default: until interrupted).")
  String forDuration;

  @Option(names = "--sort", description = "Order rows by name (default) or status (worst first).")
  String sort = "name";

  @Option(
      names = "--refresh",
      paramLabel = "DURATION",
      description = "Redraw and refresh the dashboard counts at most this often (default 1s).")
  String refresh = "1s";

  /** One bot's row. */
  record Row(
      String name,
      String id,
      String group,
      String status,
      int severity,
      String issues,
      String version,
      Instant since) {}

  private final Map<String, Row> rows = new LinkedHashMap<>();

  @Override
  protected int run(Session session) {
    Duration limit = forDuration == null ? null : Durations.parse(forDuration, "--for");
    Duration redraw = Durations.parse(refresh, "--refresh");
    Instant end = limit == null ? null : Instant.now().plus(limit);
    boolean live = session.terminal().interactive() && !session.out().json();
    long lastSequence = 0;
    int failures = 0;
    Instant lastDraw = Instant.EPOCH;
    GetFleetHealthDashboardResponse dashboard = null;
    while (end == null || Instant.now().isBefore(end)) {
      var stub = session.clients().healthWatch();
      if (end != null) {
        stub =
            stub.withDeadlineAfter(
                Math.max(1, Duration.between(Instant.now(), end).toMillis()),
                TimeUnit.MILLISECONDS);
      }
      WatchHealthRequest.Builder request =
          WatchHealthRequest.newBuilder().setAfterSequence(lastSequence);
      if (group != null) request.setGroup(group);
      try {
        Iterator<WatchHealthResponse> events = stub.watchHealth(request.build());
        while (events.hasNext()) {
          WatchHealthResponse event = events.next();
          failures = 0;
          lastSequence = event.getSequence();
          apply(event);
          if (!live) {
            printLine(session, event);
          } else if (Duration.between(lastDraw, Instant.now()).compareTo(redraw) >= 0) {
            dashboard = dashboard(session, dashboard);
            draw(session.out().out(), dashboard);
            lastDraw = Instant.now();
          }
        }
        if (live) {
          draw(session.out().out(), dashboard(session, dashboard));
        }
        return ExitCodes.OK;
      } catch (StatusRuntimeException e) {
        Status.Code code = e.getStatus().getCode();
        if (code == Status.Code.DEADLINE_EXCEEDED
            && end != null
            && !Instant.now().isBefore(end.minusMillis(50))) {
          if (live) {
            draw(session.out().out(), dashboard(session, dashboard));
          }
          return ExitCodes.OK;
        }
        if (code != Status.Code.UNAVAILABLE || ++failures > 30) {
          throw e;
        }
        session.note(
            "fleetctl: health stream lost ("
                + code
                + "); resuming after event "
                + lastSequence
                + " …");
        sleep(Math.min(10_000, 500L << Math.min(failures, 5)));
      }
    }
    return ExitCodes.OK;
  }

  void apply(WatchHealthResponse event) {
    if (event.getBotId().isEmpty()) {
      return;
    }
    Row old = rows.get(event.getBotId());
    boolean statusEvent =
        event.getType() == HealthEventType.HEALTH_EVENT_TYPE_STATUS_CHANGED
            || event.getType() == HealthEventType.HEALTH_EVENT_TYPE_BOT_DEAD
            || event.getType() == HealthEventType.HEALTH_EVENT_TYPE_BOT_RECOVERED;
    String status = statusEvent || old == null ? Values.enumName(event.getStatus()) : old.status();
    int severity = statusEvent || old == null ? severity(event.getStatus()) : old.severity();
    String issues =
        statusEvent || old == null ? String.join(" ", event.getIssuesList()) : old.issues();
    String version =
        !event.getVersion().isEmpty() ? event.getVersion() : old == null ? "" : old.version();
    Instant since =
        statusEvent || old == null
            ? Instant.ofEpochSecond(
                event.getEventTime().getSeconds(), event.getEventTime().getNanos())
            : old.since();
    rows.put(
        event.getBotId(),
        new Row(
            event.getBotName().isEmpty() && old != null ? old.name() : event.getBotName(),
            event.getBotId(),
            event.getGroup().isEmpty() && old != null ? old.group() : event.getGroup(),
            status,
            severity,
            issues,
            version,
            since));
  }

  static int severity(io.botfleet.health.v1.HealthStatus status) {
    return switch (status) {
      case HEALTH_STATUS_DEAD -> 0;
      case HEALTH_STATUS_CRITICAL -> 1;
      case HEALTH_STATUS_WARNING -> 2;
      case HEALTH_STATUS_UNKNOWN -> 3;
      default -> 4;
    };
  }

  /** The current rows, in the chosen order. */
  List<Row> rows() {
    List<Row> sorted = new ArrayList<>(rows.values());
    Comparator<Row> byName = Comparator.comparing(Row::name);
    sorted.sort(
        sort.equals("status")
            ? Comparator.comparingInt(Row::severity).thenComparing(byName)
            : byName);
    return sorted;
  }

  private GetFleetHealthDashboardResponse dashboard(
      Session session, GetFleetHealthDashboardResponse previous) {
    try {
      return session
          .clients()
          .health()
          .getFleetHealthDashboard(GetFleetHealthDashboardRequest.getDefaultInstance());
    } catch (StatusRuntimeException e) {
      return previous;
    }
  }

  void draw(PrintWriter out, GetFleetHealthDashboardResponse dashboard) {
    out.print("\033[H\033[2J");
    out.printf(
        "fleetctl health watch%s — %s (Ctrl-C to stop)%n",
        group == null ? "" : " --group " + group,
        Values.time(
            com.google.protobuf.Timestamp.newBuilder()
                .setSeconds(Instant.now().getEpochSecond())
                .build()));
    if (dashboard != null) {
      StatusCommand.printHealth(out, dashboard);
    }
    out.println();
    table(Instant.now()).print(out);
    out.flush();
  }

  Table table(Instant now) {
    Table table = new Table("BOT", "GROUP", "STATUS", "SINCE", "VERSION", "ISSUES");
    for (Row row : rows()) {
      table.row(
          row.name(),
          row.group(),
          row.severity() <= 1 ? row.status().toUpperCase() : row.status(),
          Durations.format(
              Duration.ofSeconds(Math.max(0, Duration.between(row.since(), now).getSeconds()))),
          row.version(),
          row.issues());
    }
    return table;
  }

  private static void printLine(Session session, WatchHealthResponse event) {
    if (session.out().json()) {
      session.out().out().println(Printer.toJson(event).replaceAll("\\s*\\n\\s*", " "));
    } else {
      session
          .out()
          .out()
          .printf(
              "%s  %-16s %-20s %-8s %s%n",
              Values.time(event.getEventTime()),
              Values.enumName(event.getType()),
              Values.text(event.getBotName()),
              Values.enumName(event.getStatus()),
              event.getMessage().isEmpty()
                  ? String.join(" ", event.getIssuesList())
                  : event.getMessage());
    }
    session.out().out().flush();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
