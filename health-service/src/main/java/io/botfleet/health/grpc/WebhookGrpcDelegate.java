package io.botfleet.health.grpc;

import io.botfleet.common.events.PageTokens;
import io.botfleet.health.domain.Webhook;
import io.botfleet.health.domain.WebhookDelivery;
import io.botfleet.health.service.WebhookService;
import io.botfleet.health.v1.DeleteWebhookRequest;
import io.botfleet.health.v1.DeleteWebhookResponse;
import io.botfleet.health.v1.ListWebhookDeliveriesRequest;
import io.botfleet.health.v1.ListWebhookDeliveriesResponse;
import io.botfleet.health.v1.ListWebhooksRequest;
import io.botfleet.health.v1.ListWebhooksResponse;
import io.botfleet.health.v1.RegisterWebhookRequest;
import io.botfleet.health.v1.RegisterWebhookResponse;
import io.grpc.stub.StreamObserver;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/** The webhook RPCs of health.v1 (part of the adapter). Secrets leave only in Register's answer. */
@ApplicationScoped
class WebhookGrpcDelegate {

  @Inject WebhookService webhooks;

  void registerWebhook(
      RegisterWebhookRequest request, StreamObserver<RegisterWebhookResponse> response) {
    WebhookService.Registered registered =
        webhooks.register(request.getUrl(), request.getEventTypesList(), request.getSecret());
    response.onNext(
        RegisterWebhookResponse.newBuilder()
            .setWebhook(toProto(registered.webhook()))
            .setSecret(registered.secret())
            .build());
    response.onCompleted();
  }

  void listWebhooks(ListWebhooksRequest request, StreamObserver<ListWebhooksResponse> response) {
    ListWebhooksResponse.Builder answer = ListWebhooksResponse.newBuilder();
    webhooks.list().forEach(w -> answer.addWebhooks(toProto(w)));
    response.onNext(answer.build());
    response.onCompleted();
  }

  void deleteWebhook(DeleteWebhookRequest request, StreamObserver<DeleteWebhookResponse> response) {
    webhooks.delete(request.getWebhookId());
    response.onNext(DeleteWebhookResponse.getDefaultInstance());
    response.onCompleted();
  }

  void listWebhookDeliveries(
      ListWebhookDeliveriesRequest request,
      StreamObserver<ListWebhookDeliveriesResponse> response) {
    int size = PageTokens.pageSize(request.getPageSize(), 100, 1000, "page_size");
    List<WebhookDelivery> page =
        webhooks.deliveries(
            request.getWebhookId(), PageToken.parse(request.getPageToken()), size + 1);
    ListWebhookDeliveriesResponse.Builder answer = ListWebhookDeliveriesResponse.newBuilder();
    for (WebhookDelivery d : page.stream().limit(size).toList()) {
      io.botfleet.health.v1.WebhookDelivery.Builder b =
          io.botfleet.health.v1.WebhookDelivery.newBuilder()
              .setId(d.id().toString())
              .setWebhookId(d.webhookId().toString())
              .setEventType(d.eventType())
              .setAttempts(d.attempts())
              .setLastStatusCode(d.lastStatusCode())
              .setLastError(d.lastError())
              .setState(d.state())
              .setCreateTime(HeartbeatMapper.timestamp(d.createdAt()));
      if ("pending".equals(d.state()) && d.nextAttemptAt() != null) {
        b.setNextAttemptTime(HeartbeatMapper.timestamp(d.nextAttemptAt()));
      }
      if (d.endedAt() != null) {
        b.setEndTime(HeartbeatMapper.timestamp(d.endedAt()));
      }
      answer.addDeliveries(b);
    }
    if (page.size() > size) {
      WebhookDelivery last = page.get(size - 1);
      answer.setNextPageToken(PageToken.of(last.createdAt(), last.id()));
    }
    response.onNext(answer.build());
    response.onCompleted();
  }

  private static io.botfleet.health.v1.Webhook toProto(Webhook w) {
    return io.botfleet.health.v1.Webhook.newBuilder()
        .setId(w.id().toString())
        .setUrl(w.url())
        .addAllEventTypes(w.eventTypes())
        .setCreateTime(HeartbeatMapper.timestamp(w.createdAt()))
        .setCreatedBy(w.createdBy())
        .setDeliveredCount(w.delivered())
        .setFailedCount(w.failed())
        .setPendingCount(w.pending())
        .build();
  }
}
