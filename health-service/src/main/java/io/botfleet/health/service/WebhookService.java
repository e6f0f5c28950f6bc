package io.botfleet.health.service;

import io.botfleet.common.auth.Caller;
import io.botfleet.common.db.PgNotifications;
import io.botfleet.common.error.BotfleetException;
import io.botfleet.common.error.Violations;
import io.botfleet.common.events.EventLog;
import io.botfleet.common.greenhelix.Outbox;
import io.botfleet.health.config.HealthConfig;
import io.botfleet.health.domain.EventRouting;
import io.botfleet.health.domain.PagePosition;
import io.botfleet.health.domain.Webhook;
import io.botfleet.health.domain.WebhookDelivery;
import io.botfleet.health.domain.WebhookSignature;
import io.botfleet.health.persistence.WebhookRepository;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Registering, listing and deleting webhooks, and their delivery log. */
@ApplicationScoped
public class WebhookService {

  /**
   * A new webhook and its secret (shown this once).
   *
   * @param webhook the webhook
   * @param secret its signing secret
   */
  public record Registered(Webhook webhook, String secret) {}

  @Inject WebhookRepository repository;
  @Inject WebhookSubscriptions subscriptions;
  @Inject EventLog events;
  @Inject Outbox outbox;
  @Inject PgNotifications notifications;
  @Inject HealthConfig config;

  /** Registers a webhook; an empty secret makes one. */
  public Registered register(String url, List<String> eventTypes, String secret) {
    Violations violations = new Violations();
    String urlProblem = urlProblem(url);
    violations.require(urlProblem == null, "url", urlProblem);
    violations.require(!eventTypes.isEmpty(), "event_types", "at least one event type is required");
    for (int i = 0; i < eventTypes.size(); i++) {
      violations.require(
          EventRouting.WEBHOOK_TYPES.contains(eventTypes.get(i)),
          "event_types[" + i + "]",
          "must be one of "
              + String.join(", ", EventRouting.WEBHOOK_TYPES.stream().sorted().toList()));
    }
    String secretProblem = secret.isEmpty() ? null : WebhookSignature.problem(secret);
    violations.require(secretProblem == null, "secret", secretProblem);
    violations.throwIfAny();
    String key = secret.isEmpty() ? WebhookSignature.newSecret() : secret;
    Webhook webhook =
        new Webhook(
            UUID.randomUUID(),
            url,
            List.copyOf(new LinkedHashSet<>(eventTypes)),
            Instant.now(),
            Caller.current().agentId(),
            0,
            0,
            0);
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              repository.create(webhook, key);
              events.append(
                  "fleet.webhook_registered",
                  null,
                  Map.of(
                      "webhook_id", webhook.id().toString(),
                      "url", url,
                      "event_types", webhook.eventTypes()));
              outbox.enqueue(
                  config.fleetManagerAgentId(),
                  "register_webhook",
                  Map.of(
                      "agent_id",
                      config.fleetManagerAgentId(),
                      "event_types",
                      webhook.eventTypes(),
                      "url",
                      url,
                      "secret",
                      key));
              notifications.notify(WebhookSubscriptions.CHANNEL, webhook.id().toString());
            });
    subscriptions.reload();
    Log.infof("Webhook %s registered for %s", webhook.id(), webhook.eventTypes());
    return new Registered(webhook, key);
  }

  /** Every webhook with its counts (never a secret). */
  public List<Webhook> list() {
    return repository.list();
  }

  /** Deletes a webhook and drops its pending deliveries. */
  public void delete(String webhookId) {
    UUID id = parse(webhookId, "webhook_id");
    boolean deleted =
        QuarkusTransaction.requiringNew()
            .call(
                () -> {
                  boolean done = repository.delete(id);
                  if (done) {
                    events.append(
                        "fleet.webhook_deleted", null, Map.of("webhook_id", id.toString()));
                    notifications.notify(WebhookSubscriptions.CHANNEL, id.toString());
                  }
                  return done;
                });
    if (!deleted) {
      throw notFound(id);
    }
    subscriptions.reload();
  }

  /** A page of a webhook's delivery log, newest first. */
  public List<WebhookDelivery> deliveries(
      String webhookId, Optional<PagePosition> after, int limit) {
    UUID id = parse(webhookId, "webhook_id");
    if (!repository.exists(id)) {
      throw notFound(id);
    }
    return repository.deliveries(id, after, limit);
  }

  static UUID parse(String value, String field) {
    try {
      return UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      throw new io.botfleet.common.error.InvalidArgumentException(
          field, "must be a webhook id (a UUID)");
    }
  }

  private static BotfleetException notFound(UUID id) {
    return BotfleetException.notFound(
        "WEBHOOK_NOT_FOUND", "no webhook " + id, Map.of("webhook_id", id.toString()));
  }

  /** https anywhere; plain http only to this machine (local receivers, tests). */
  static String urlProblem(String url) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      return "must be an absolute https URL";
    }
    if (uri.getHost() == null || uri.getScheme() == null) {
      return "must be an absolute https URL";
    }
    if (uri.getUserInfo() != null) {
      return "must not carry credentials";
    }
    if ("https".equals(uri.getScheme())) {
      return null;
    }
    if ("http".equals(uri.getScheme())) {
      try {
        if (InetAddress.getByName(uri.getHost()).isLoopbackAddress()) {
          return null;
        }
      } catch (UnknownHostException e) {
        return "http is allowed only to loopback; use https";
      }
      return "http is allowed only to loopback; use https";
    }
    return "must be an https URL";
  }
}
