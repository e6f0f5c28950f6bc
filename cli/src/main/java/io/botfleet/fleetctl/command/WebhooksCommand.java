package io.botfleet.fleetctl.command;

import io.botfleet.fleetctl.ExitCodes;
import io.botfleet.fleetctl.output.Table;
import io.botfleet.fleetctl.output.Values;
import io.botfleet.health.v1.DeleteWebhookRequest;
import io.botfleet.health.v1.ListWebhookDeliveriesRequest;
import io.botfleet.health.v1.ListWebhookDeliveriesResponse;
import io.botfleet.health.v1.ListWebhooksRequest;
import io.botfleet.health.v1.RegisterWebhookRequest;
import io.botfleet.health.v1.Webhook;
import io.botfleet.health.v1.WebhookDelivery;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Webhooks of health events (health-service), signed with HMAC-SHA256 (Standard Webhooks). */
@Command(
    name = "webhooks",
    header = "Add, list and remove webhooks for health events; their delivery log.",
    subcommands = {
      WebhooksCommand.Add.class,
      WebhooksCommand.ListWebhooks.class,
      WebhooksCommand.Remove.class,
      WebhooksCommand.Deliveries.class
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  fleetctl webhooks add https://hooks.example.com/botfleet --event fleet.bot_dead --event fleet.health_alert",
      "  fleetctl webhooks list"
    })
public final class WebhooksCommand extends GroupCommand {

  @Command(
      name = "add",
      header = "Register a webhook; prints its signing secret (shown once).",
      description =
          "Event types: fleet.heartbeat (sampled), fleet.health_alert, fleet.bot_dead, fleet.bot_recovered, fleet.sla_violation.",
      footerHeading = "%nExample:%n",
      footer = "  fleetctl webhooks add https://hooks.example.com/botfleet --event fleet.bot_dead")
  static final class Add extends BaseCommand {
    @Parameters(paramLabel = "URL", description = "https URL (http only to loopback).")
    String url;

    @Option(
        names = "--event",
        required = true,
        paramLabel = "TYPE",
        description = "An event type (repeat).")
    List<String> events;

    @Option(
        names = "--secret",
        description = "whsec_ + base64 of 24-64 bytes (default: botfleet makes one).")
    String secret;

    @Override
    protected int run(Session session) {
      RegisterWebhookRequest.Builder request =
          RegisterWebhookRequest.newBuilder().setUrl(url).addAllEventTypes(events);
      if (secret != null) request.setSecret(secret);
      var answer = session.clients().health().registerWebhook(request.build());
      session
          .out()
          .print(
              answer,
              () -> {
                session
                    .out()
                    .out()
                    .printf(
                        "Webhook %s -> %s%n",
                        answer.getWebhook().getId(), answer.getWebhook().getUrl());
                session.out().out().printf("Signing secret (shown once): %s%n", answer.getSecret());
              });
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "list",
      header = "Webhooks with their delivery counts (never their secrets).",
      footerHeading = "%nExample:%n",
      footer = "  fleetctl webhooks list")
  static final class ListWebhooks extends BaseCommand {
    @Override
    protected int run(Session session) {
      var answer =
          session.clients().health().listWebhooks(ListWebhooksRequest.getDefaultInstance());
      session
          .out()
          .print(
              answer,
              () -> {
                Table table =
                    new Table(
                        "ID", "URL", "EVENTS", "DELIVERED", "FAILED", "PENDING", "CREATED", "BY");
                for (Webhook w : answer.getWebhooksList()) {
                  table.row(
                      w.getId(),
                      w.getUrl(),
                      String.join(",", w.getEventTypesList()),
                      w.getDeliveredCount(),
                      w.getFailedCount(),
                      w.getPendingCount(),
                      Values.time(w.getCreateTime()),
                      w.getCreatedBy());
                }
                table.print(session.out().out());
              });
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "rm",
      header = "Delete a webhook; pending deliveries to it are dropped.",
      footerHeading = "%nExample:%n",
      footer = "  fleetctl webhooks rm 6f1c2a3e-… --yes")
  static final class Remove extends BaseCommand {
    @Parameters(paramLabel = "WEBHOOK_ID", description = "The webhook.")
    String webhookId;

    @Mixin ConfirmOption confirm;

    @Override
    protected int run(Session session) {
      confirm(
          session, confirm, "Delete webhook " + webhookId + " and drop its pending deliveries?");
      var answer =
          session
              .clients()
              .health()
              .deleteWebhook(DeleteWebhookRequest.newBuilder().setWebhookId(webhookId).build());
      session.out().print(answer, () -> session.out().out().println("Deleted " + webhookId + "."));
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "deliveries",
      header = "A webhook's delivery log, newest first.",
      footerHeading = "%nExample:%n",
      footer = "  fleetctl webhooks deliveries 6f1c2a3e-… --limit 20")
  static final class Deliveries extends BaseCommand {
    @Parameters(paramLabel = "WEBHOOK_ID", description = "The webhook.")
    String webhookId;

    @Option(names = "--limit", description = "At most this many (default 100).")
    int limit = 100;

    @Override
    protected int run(Session session) {
      ListWebhookDeliveriesRequest.Builder request =
          ListWebhookDeliveriesRequest.newBuilder()
              .setWebhookId(webhookId)
              .setPageSize(Math.min(limit, 1000));
      ListWebhookDeliveriesResponse.Builder all = ListWebhookDeliveriesResponse.newBuilder();
      String token = "";
      do {
        var page =
            session.clients().health().listWebhookDeliveries(request.setPageToken(token).build());
        all.addAllDeliveries(page.getDeliveriesList());
        token = page.getNextPageToken();
      } while (!token.isEmpty() && all.getDeliveriesCount() < limit);
      if (all.getDeliveriesCount() > limit) {
        var kept = List.copyOf(all.getDeliveriesList().subList(0, limit));
        all.clearDeliveries().addAllDeliveries(kept);
      }
      var answer = all.build();
      session
          .out()
          .print(
              answer,
              () -> {
                Table table =
                    new Table(
                        "ID",
                        "EVENT",
                        "STATE",
                        "ATTEMPTS",
                        "HTTP",
                        "CREATED",
                        "NEXT ATTEMPT",
                        "ERROR");
                for (WebhookDelivery d : answer.getDeliveriesList()) {
                  table.row(
                      d.getId(),
                      d.getEventType(),
                      d.getState(),
                      d.getAttempts(),
                      d.getLastStatusCode() == 0 ? "-" : d.getLastStatusCode(),
                      Values.time(d.getCreateTime()),
                      Values.time(d.getNextAttemptTime()),
                      d.getLastError());
                }
                table.print(session.out().out());
              });
      return ExitCodes.OK;
    }
  }
}
