package io.botfleet.fleet.client;

import io.botfleet.common.grpc.RemoteErrors;
import io.botfleet.fleet.config.FleetConfig;
import io.botfleet.fleet.domain.HealthEvent;
import io.botfleet.health.v1.FleetHealthServiceGrpc;
import io.botfleet.health.v1.GetBotHealthRequest;
import io.botfleet.health.v1.GetBotHealthResponse;
import io.botfleet.health.v1.GetFleetHealthDashboardRequest;
import io.botfleet.health.v1.GetFleetHealthDashboardResponse;
import io.botfleet.health.v1.TrackBotRequest;
import io.botfleet.health.v1.UntrackBotRequest;
import io.botfleet.health.v1.WatchHealthRequest;
import io.botfleet.health.v1.WatchHealthResponse;
import io.grpc.Channel;
import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * fleet-service's calls to health-service. Unary calls have deadlines; the WatchHealth stream has
 * none (it is meant to stay open) and its follower reconnects when it ends.
 */
@ApplicationScoped
public class HealthClient {

  private static final String SERVICE = "health-service";
  private static final RemoteErrors ERRORS = new RemoteErrors("fleet-service");

  @GrpcClient("health")
  Channel channel;

  @Inject FleetConfig config;

  /** Receives a watch's events; called on a gRPC thread, one at a time. */
  public interface WatchListener {
    /** One event. */
    void onEvent(HealthEvent event);

    /** The stream ended (error or completion); {@code cause} is null on completion. */
    void onEnd(Throwable cause);
  }

  /** Starts (or updates) tracking a bot. A standby sends no heartbeats and is never dead. */
  public void track(
      String botId, String name, String group, String exchange, String strategy, boolean standby) {
    TrackBotRequest request =
        TrackBotRequest.newBuilder()
            .setBotId(botId)
            .setBotName(name)
            .setGroup(group)
            .setExchange(exchange)
            .setStrategy(strategy)
            .setStandby(standby)
            .build();
    ERRORS.call(SERVICE, "TrackBot", () -> stub().trackBot(request));
  }

  /** Stops tracking a bot (not tracked is not an error). */
  public void untrack(String botId) {
    ERRORS.call(
        SERVICE,
        "UntrackBot",
        () -> stub().untrackBot(UntrackBotRequest.newBuilder().setBotId(botId).build()));
  }

  /** The fleet health dashboard, as health-service answers it (the REST gateway's route). */
  public GetFleetHealthDashboardResponse dashboard() {
    return ERRORS.call(
        SERVICE,
        "GetFleetHealthDashboard",
        () -> stub().getFleetHealthDashboard(GetFleetHealthDashboardRequest.getDefaultInstance()));
  }

  /** One bot's health, as health-service answers it (the REST gateway's route). */
  public GetBotHealthResponse botHealth(String botId) {
    return ERRORS.call(
        SERVICE,
        "GetBotHealth",
        () -> stub().getBotHealth(GetBotHealthRequest.newBuilder().setBotId(botId).build()));
  }

  /**
   * Follows health events after {@code afterSequence}. Returns what stops the watch.
   *
   * @param afterSequence the last sequence applied (0: every bot's current status first)
   * @param listener where events go
   */
  public Runnable watch(long afterSequence, WatchListener listener) {
    Context.CancellableContext context = Context.current().fork().withCancellation();
    context.run(
        () ->
            FleetHealthServiceGrpc.newStub(channel)
                .watchHealth(
                    WatchHealthRequest.newBuilder().setAfterSequence(afterSequence).build(),
                    new StreamObserver<>() {
                      @Override
                      public void onNext(WatchHealthResponse event) {
                        listener.onEvent(toDomain(event));
                      }

                      @Override
                      public void onError(Throwable t) {
                        listener.onEnd(t);
                      }

                      @Override
                      public void onCompleted() {
                        listener.onEnd(null);
                      }
                    }));
    return () -> context.cancel(null);
  }

  /** Opens the connection at start. */
  public void warmUp() {
    Channels.ping(channel, config.callDeadline());
  }

  static HealthEvent toDomain(WatchHealthResponse e) {
    HealthEvent.Type type =
        switch (e.getType()) {
          case HEALTH_EVENT_TYPE_STATUS_CHANGED -> HealthEvent.Type.STATUS_CHANGED;
          case HEALTH_EVENT_TYPE_BOT_DEAD -> HealthEvent.Type.BOT_DEAD;
          case HEALTH_EVENT_TYPE_BOT_RECOVERED -> HealthEvent.Type.BOT_RECOVERED;
          case HEALTH_EVENT_TYPE_VERSION_CHANGED -> HealthEvent.Type.VERSION_CHANGED;
          case HEALTH_EVENT_TYPE_MASS_SILENCE_STARTED -> HealthEvent.Type.MASS_SILENCE_STARTED;
          case HEALTH_EVENT_TYPE_MASS_SILENCE_ENDED -> HealthEvent.Type.MASS_SILENCE_ENDED;
          case HEALTH_EVENT_TYPE_SLA_CRITICAL -> HealthEvent.Type.SLA_CRITICAL;
          default -> HealthEvent.Type.OTHER;
        };
    return new HealthEvent(
        e.getSequence(),
        type,
        e.getBotId(),
        e.getBotName(),
        e.getGroup(),
        e.getStatus().name().replace("HEALTH_STATUS_", "").toLowerCase(Locale.ROOT),
        List.copyOf(e.getIssuesList()),
        e.getVersion(),
        e.getMessage(),
        e.hasEventTime() ? IdentityClient.toInstant(e.getEventTime()) : Instant.now(),
        e.hasLastHeartbeatTime() ? IdentityClient.toInstant(e.getLastHeartbeatTime()) : null);
  }

  private FleetHealthServiceGrpc.FleetHealthServiceBlockingStub stub() {
    return FleetHealthServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(config.callDeadline().toMillis(), TimeUnit.MILLISECONDS);
  }
}
