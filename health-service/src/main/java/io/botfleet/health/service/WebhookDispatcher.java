package io.botfleet.health.service;

import io.botfleet.health.config.HealthConfig;
import io.botfleet.health.domain.WebhookSignature;
import io.botfleet.health.persistence.WebhookRepository;
import io.botfleet.health.persistence.WebhookRepository.Claimed;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;

/**
 * Delivers webhook events (Standard Webhooks): POSTs each delivery's JSON with {@code webhook-id}
 * (the delivery id, the same on every retry, so receivers can drop duplicates), {@code
 * webhook-timestamp} and {@code webhook-signature}. A 2xx answer delivers it; anything else is
 * retried on the configured schedule (hours by default), then the delivery is given up. Every
 * replica runs a dispatcher; claims are leased, so none sends a delivery another is sending.
 */
@ApplicationScoped
public class WebhookDispatcher {

  @Inject HealthConfig config;
  @Inject WebhookRepository repository;

  private final Object signal = new Object();
  private volatile boolean running;
  private Thread thread;
  private HttpClient http;

  void start() {
    http =
        HttpClient.newBuilder()
            .connectTimeout(config.webhooks().timeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .executor(Executors.newFixedThreadPool(2, daemon()))
            .build();
    running = true;
    thread = new Thread(this::run, "webhook-dispatcher");
    thread.setDaemon(true);
    thread.start();
  }

  void stop(@Observes ShutdownEvent event) {
    running = false;
    wake();
  }

  /** Looks for due deliveries now. */
  public void wake() {
    synchronized (signal) {
      signal.notifyAll();
    }
  }

  private void run() {
    while (running) {
      int sent = 0;
      try {
        sent = runOnce();
      } catch (RuntimeException e) {
        Log.warnf(e, "Webhook dispatch pass failed");
      }
      if (sent == 0) {
        synchronized (signal) {
          try {
            signal.wait(config.webhooks().pollInterval().toMillis());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
    }
  }

  /** One pass: claims due deliveries and attempts them. Returns how many were attempted. */
  public int runOnce() {
    Duration lease = config.webhooks().timeout().multipliedBy(2).plusSeconds(5);
    List<Claimed> claimed = repository.claimDue(config.webhooks().parallelism() * 4, lease);
    List<CompletableFuture<Void>> attempts = new ArrayList<>(claimed.size());
    for (Claimed delivery : claimed) {
      attempts.add(attempt(delivery));
    }
    CompletableFuture.allOf(attempts.toArray(CompletableFuture[]::new)).join();
    return claimed.size();
  }

  private CompletableFuture<Void> attempt(Claimed d) {
    long timestamp = Instant.now().getEpochSecond();
    String id = d.id().toString();
    HttpRequest request;
    try {
      request =
          HttpRequest.newBuilder(URI.create(d.url()))
              .timeout(config.webhooks().timeout())
              .header("content-type", "application/json")
              .header("user-agent", "botfleet-health-webhooks/1")
              .header("webhook-id", id)
              .header("webhook-timestamp", Long.toString(timestamp))
              .header(
                  "webhook-signature",
                  WebhookSignature.sign(d.secret(), id, timestamp, d.payload()))
              .POST(HttpRequest.BodyPublishers.ofString(d.payload()))
              .build();
    } catch (IllegalArgumentException e) {
      failed(d, 0, "bad URL: " + e.getMessage());
      return CompletableFuture.completedFuture(null);
    }
    return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .handle(
            (response, error) -> {
              try {
                if (error != null) {
                  failed(d, 0, describe(error));
                } else if (response.statusCode() / 100 == 2) {
                  repository.delivered(d.id(), d.webhookId(), response.statusCode());
                } else {
                  failed(d, response.statusCode(), "HTTP " + response.statusCode());
                }
              } catch (RuntimeException e) {
                Log.warnf(e, "Could not record the outcome of webhook delivery %s", id);
              }
              return null;
            });
  }

  private void failed(Claimed d, int status, String error) {
    List<Duration> schedule = config.webhooks().retrySchedule();
    int attempt = d.attempts() + 1;
    Optional<Instant> retryAt =
        attempt <= schedule.size()
            ? Optional.of(Instant.now().plus(schedule.get(attempt - 1)))
            : Optional.empty();
    repository.failed(d.id(), d.webhookId(), status, error, retryAt);
    if (retryAt.isEmpty()) {
      Log.warnf("Webhook delivery %s given up after %d attempts: %s", d.id(), attempt, error);
    }
  }

  private static String describe(Throwable error) {
    Throwable cause = error.getCause() != null ? error.getCause() : error;
    String text = cause.getClass().getSimpleName() + ": " + cause.getMessage();
    return text.length() > 300 ? text.substring(0, 300) : text;
  }

  private static java.util.concurrent.ThreadFactory daemon() {
    return runnable -> {
      Thread t = new Thread(runnable, "webhook-http");
      t.setDaemon(true);
      return t;
    };
  }
}
