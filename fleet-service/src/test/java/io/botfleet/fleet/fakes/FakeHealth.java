package io.botfleet.fleet.fakes;

import io.botfleet.health.v1.BotHealth;
import io.botfleet.health.v1.FleetHealthServiceGrpc;
import io.botfleet.health.v1.GetBotHealthRequest;
import io.botfleet.health.v1.GetBotHealthResponse;
import io.botfleet.health.v1.GetFleetHealthDashboardRequest;
import io.botfleet.health.v1.GetFleetHealthDashboardResponse;
import io.botfleet.health.v1.HealthEventType;
import io.botfleet.health.v1.HealthStatus;
import io.botfleet.health.v1.StatusSummary;
import io.botfleet.health.v1.TrackBotRequest;
import io.botfleet.health.v1.TrackBotResponse;
import io.botfleet.health.v1.UntrackBotRequest;
import io.botfleet.health.v1.UntrackBotResponse;
import io.botfleet.health.v1.WatchHealthRequest;
import io.botfleet.health.v1.WatchHealthResponse;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-test health-service: tracking, and a WatchHealth feed that a test drives with {@link
 * #emit}. A watcher that reconnects with its last sequence gets what it missed, as the real one.
 */
public final class FakeHealth extends FleetHealthServiceGrpc.FleetHealthServiceImplBase {

  public final Recorder recorder = new Recorder();
  private final Map<String, TrackBotRequest> tracked = new ConcurrentHashMap<>();
  private final List<WatchHealthResponse> history = new CopyOnWriteArrayList<>();
  private final List<ServerCallStreamObserver<WatchHealthResponse>> watchers =
      new CopyOnWriteArrayList<>();
  private final AtomicLong sequence = new AtomicLong();

  @Override
  public void trackBot(TrackBotRequest request, StreamObserver<TrackBotResponse> response) {
    if (recorder.failed("TrackBot", request, response)) {
      return;
    }
    tracked.put(request.getBotId(), request);
    FakeIdentity.reply(response, TrackBotResponse.getDefaultInstance());
  }

  @Override
  public void untrackBot(UntrackBotRequest request, StreamObserver<UntrackBotResponse> response) {
    if (recorder.failed("UntrackBot", request, response)) {
      return;
    }
    boolean untracked = tracked.remove(request.getBotId()) != null;
    FakeIdentity.reply(response, UntrackBotResponse.newBuilder().setUntracked(untracked).build());
  }

  @Override
  public void watchHealth(
      WatchHealthRequest request, StreamObserver<WatchHealthResponse> response) {
    if (recorder.failed("WatchHealth", request, response)) {
      return;
    }
    ServerCallStreamObserver<WatchHealthResponse> stream =
        (ServerCallStreamObserver<WatchHealthResponse>) response;
    synchronized (this) {
      for (WatchHealthResponse event : history) {
        if (event.getSequence() > request.getAfterSequence()) {
          stream.onNext(event);
        }
      }
      watchers.add(stream);
    }
    stream.setOnCancelHandler(() -> watchers.remove(stream));
  }

  /** Sends an event to every watcher (its sequence is assigned here); returns it. */
  public synchronized WatchHealthResponse emit(WatchHealthResponse.Builder event) {
    WatchHealthResponse sent =
        event
            .setSequence(sequence.incrementAndGet())
            .setEventTime(FakeIdentity.timestamp(Instant.now()))
            .build();
    history.add(sent);
    for (ServerCallStreamObserver<WatchHealthResponse> watcher : watchers) {
      try {
        watcher.onNext(sent);
      } catch (RuntimeException e) {
        watchers.remove(watcher);
      }
    }
    return sent;
  }

  /** A bot declared dead. */
  public WatchHealthResponse dead(String botId) {
    return emit(
        WatchHealthResponse.newBuilder()
            .setType(HealthEventType.HEALTH_EVENT_TYPE_BOT_DEAD)
            .setBotId(botId)
            .setStatus(HealthStatus.HEALTH_STATUS_DEAD)
            .setMessage("no heartbeat for 120 s")
            .setLastHeartbeatTime(FakeIdentity.timestamp(Instant.now().minusSeconds(120))));
  }

  /** Closes every watch stream (as a restart of health-service would). */
  public void dropWatchers() {
    for (ServerCallStreamObserver<WatchHealthResponse> watcher : watchers) {
      try {
        watcher.onError(io.grpc.Status.UNAVAILABLE.asRuntimeException());
      } catch (RuntimeException e) {
        // gone
      }
    }
    watchers.clear();
  }

  /** How many watch streams are open. */
  public int watcherCount() {
    return watchers.size();
  }

  @Override
  public void getFleetHealthDashboard(
      GetFleetHealthDashboardRequest request,
      StreamObserver<GetFleetHealthDashboardResponse> response) {
    if (recorder.failed("GetFleetHealthDashboard", request, response)) {
      return;
    }
    FakeIdentity.reply(
        response,
        GetFleetHealthDashboardResponse.newBuilder()
            .setTimestamp(FakeIdentity.timestamp(Instant.now()))
            .setTotalBots(tracked.size())
            .setStatusSummary(StatusSummary.newBuilder().setUnknown(tracked.size()))
            .build());
  }

  @Override
  public void getBotHealth(
      GetBotHealthRequest request, StreamObserver<GetBotHealthResponse> response) {
    if (recorder.failed("GetBotHealth", request, response)) {
      return;
    }
    TrackBotRequest bot = tracked.get(request.getBotId());
    if (bot == null) {
      response.onError(
          FakeDeploy.error(
              com.google.rpc.Code.NOT_FOUND,
              "BOT_NOT_TRACKED",
              "bot " + request.getBotId() + " is not tracked",
              Map.of("bot_id", request.getBotId())));
      return;
    }
    FakeIdentity.reply(
        response,
        GetBotHealthResponse.newBuilder()
            .setHealth(
                BotHealth.newBuilder()
                    .setBotId(bot.getBotId())
                    .setBotName(bot.getBotName())
                    .setGroup(bot.getGroup())
                    .setStatus(HealthStatus.HEALTH_STATUS_UNKNOWN))
            .build());
  }

  /** The tracking request of a bot, or null if it is not tracked. */
  public TrackBotRequest tracked(String botId) {
    return tracked.get(botId);
  }
}
