package io.botfleet.billing.fakes;

import io.botfleet.common.v1.AuditServiceGrpc;
import io.botfleet.common.v1.GetGreenHelixUsageRequest;
import io.botfleet.common.v1.GetGreenHelixUsageResponse;
import io.botfleet.common.v1.GreenHelixUsage;
import io.botfleet.fleet.v1.Bot;
import io.botfleet.fleet.v1.BotStatus;
import io.botfleet.fleet.v1.Command;
import io.botfleet.fleet.v1.FleetServiceGrpc;
import io.botfleet.fleet.v1.GetBotRequest;
import io.botfleet.fleet.v1.GetBotResponse;
import io.botfleet.fleet.v1.ListBotsRequest;
import io.botfleet.fleet.v1.ListBotsResponse;
import io.botfleet.fleet.v1.PauseBotsRequest;
import io.botfleet.fleet.v1.PauseBotsResponse;
import io.botfleet.health.v1.DailyStat;
import io.botfleet.health.v1.FleetHealthServiceGrpc;
import io.botfleet.health.v1.GetDailyStatsRequest;
import io.botfleet.health.v1.GetDailyStatsResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the in-test fleet-service, health-service and the other services' AuditService know and
 * answer: tests put bots, daily stats and GreenHelix usage here, make a service unreachable, and
 * read what billing asked (with the agent that signed each call).
 */
public final class FakeFleet {

  /** One PauseBots call as received. */
  public record PauseCall(String botId, String reason, String requestId, String signedBy) {}

  /*
   * Quarkus loads test resources and test classes in different class loaders, so what both sides
   * share lives in JDK types, in one map hung on the system properties: protos travel as bytes.
   */
  @SuppressWarnings("unchecked")
  private static final Map<String, Object> SHARED =
      (Map<String, Object>)
          System.getProperties()
              .computeIfAbsent(
                  "botfleet.billing.fakes", k -> new ConcurrentHashMap<String, Object>());

  static final Map<String, byte[]> BOTS = shared("bots", ConcurrentHashMap::new);
  static final List<byte[]> STATS = shared("stats", CopyOnWriteArrayList::new);
  static final Map<String, List<byte[]>> USAGE = shared("usage", ConcurrentHashMap::new);
  static final List<String[]> PAUSES = shared("pauses", CopyOnWriteArrayList::new);
  static final Map<String, Boolean> DOWN = shared("down", ConcurrentHashMap::new);
  static final AtomicInteger PAUSE_FAILURES = shared("pauseFailures", AtomicInteger::new);

  @SuppressWarnings("unchecked")
  private static <T> T shared(String name, java.util.function.Supplier<T> make) {
    return (T) SHARED.computeIfAbsent(name, k -> make.get());
  }

  private FakeFleet() {}

  /** Registers a bot with fleet-service. */
  public static Bot bot(String id, String name, String group, String strategy, String exchange) {
    Bot bot =
        Bot.newBuilder()
            .setId(id)
            .setName(name)
            .setGroup(group)
            .setStrategy(strategy)
            .setExchange(exchange)
            .setStatus(BotStatus.BOT_STATUS_ACTIVE)
            .build();
    BOTS.put(id, bot.toByteArray());
    return bot;
  }

  /** Makes a registered bot a dormant standby of its group. */
  public static void standby(String id) {
    Bot bot = parse(Bot.parser(), BOTS.get(id));
    BOTS.put(id, bot.toBuilder().setStandby(true).build().toByteArray());
  }

  /** Health-service reports this day of a bot. */
  public static void dailyStat(String botId, LocalDate day, String pnlUsd, long trades) {
    STATS.add(
        DailyStat.newBuilder()
            .setBotId(botId)
            .setDate(day.toString())
            .setPnlUsd(pnlUsd)
            .setTradeCount(trades)
            .build()
            .toByteArray());
  }

  /** {@code service}'s outbox delivered these calls on {@code day} for {@code agent}. */
  public static void usage(String service, LocalDate day, String agent, String tool, long calls) {
    USAGE
        .computeIfAbsent(service + "|" + day, k -> new CopyOnWriteArrayList<>())
        .add(
            GreenHelixUsage.newBuilder()
                .setAgentId(agent)
                .setTool(tool)
                .setCalls(calls)
                .build()
                .toByteArray());
  }

  /** Makes a service answer UNAVAILABLE to everything (or answer again). */
  public static void down(String service, boolean down) {
    DOWN.put(service, down);
  }

  /** fleet-service answers the next {@code count} PauseBots with UNAVAILABLE. */
  public static void failNextPauses(int count) {
    PAUSE_FAILURES.set(count);
  }

  /** The PauseBots calls received for a bot. */
  public static List<PauseCall> pausesOf(String botId) {
    return PAUSES.stream()
        .filter(p -> p[0].equals(botId))
        .map(p -> new PauseCall(p[0], p[1], p[2], p[3]))
        .toList();
  }

  private static boolean refuseIfDown(String service, StreamObserver<?> response) {
    if (DOWN.getOrDefault(service, false)) {
      response.onError(Status.UNAVAILABLE.withDescription(service + " is down").asException());
      return true;
    }
    return false;
  }

  private static <T> T parse(com.google.protobuf.Parser<T> parser, byte[] bytes) {
    try {
      return parser.parseFrom(bytes);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  /** fleet.v1 as billing uses it. */
  static final class Fleet extends FleetServiceGrpc.FleetServiceImplBase {
    @Override
    public void getBot(GetBotRequest request, StreamObserver<GetBotResponse> response) {
      if (refuseIfDown("fleet", response)) {
        return;
      }
      byte[] stored = BOTS.get(request.getBotId());
      if (stored == null) {
        response.onError(Status.NOT_FOUND.withDescription("no bot").asException());
        return;
      }
      response.onNext(GetBotResponse.newBuilder().setBot(parse(Bot.parser(), stored)).build());
      response.onCompleted();
    }

    @Override
    public void listBots(ListBotsRequest request, StreamObserver<ListBotsResponse> response) {
      if (refuseIfDown("fleet", response)) {
        return;
      }
      List<Bot> bots = new ArrayList<>();
      BOTS.values().forEach(b -> bots.add(parse(Bot.parser(), b)));
      bots.removeIf(b -> !request.getGroup().isEmpty() && !b.getGroup().equals(request.getGroup()));
      bots.sort(Comparator.comparing(Bot::getName));
      response.onNext(
          ListBotsResponse.newBuilder().addAllBots(bots).setTotalSize(bots.size()).build());
      response.onCompleted();
    }

    @Override
    public void pauseBots(PauseBotsRequest request, StreamObserver<PauseBotsResponse> response) {
      if (refuseIfDown("fleet", response)) {
        return;
      }
      if (PAUSE_FAILURES.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        response.onError(Status.UNAVAILABLE.withDescription("fleet restarting").asException());
        return;
      }
      String botId = request.getScope().getBots().getBotIds(0);
      PAUSES.add(
          new String[] {
            botId, request.getReason(), request.getRequestId(), CallerHeaders.AGENT.get()
          });
      response.onNext(
          PauseBotsResponse.newBuilder()
              .setCommand(Command.newBuilder().setId("cmd-" + request.getRequestId()))
              .addBotIds(botId)
              .build());
      response.onCompleted();
    }
  }

  /** health.v1 as billing uses it. */
  static final class Health extends FleetHealthServiceGrpc.FleetHealthServiceImplBase {
    @Override
    public void getDailyStats(
        GetDailyStatsRequest request, StreamObserver<GetDailyStatsResponse> response) {
      if (refuseIfDown("health", response)) {
        return;
      }
      LocalDate from = LocalDate.parse(request.getStartDate());
      LocalDate to = LocalDate.parse(request.getEndDate());
      GetDailyStatsResponse.Builder answer = GetDailyStatsResponse.newBuilder();
      for (byte[] bytes : STATS) {
        DailyStat stat = parse(DailyStat.parser(), bytes);
        LocalDate day = LocalDate.parse(stat.getDate());
        if ((request.getBotIdsCount() == 0 || request.getBotIdsList().contains(stat.getBotId()))
            && !day.isBefore(from)
            && !day.isAfter(to)) {
          answer.addStats(stat);
        }
      }
      response.onNext(answer.build());
      response.onCompleted();
    }
  }

  /** common.v1 AuditService of one service. */
  static final class Audit extends AuditServiceGrpc.AuditServiceImplBase {
    private final String service;

    Audit(String service) {
      this.service = service;
    }

    @Override
    public void getGreenHelixUsage(
        GetGreenHelixUsageRequest request, StreamObserver<GetGreenHelixUsageResponse> response) {
      if (refuseIfDown(service, response)) {
        return;
      }
      LocalDate day =
          LocalDate.ofEpochDay(Math.floorDiv(request.getStartTime().getSeconds(), 86_400));
      response.onNext(
          GetGreenHelixUsageResponse.newBuilder()
              .addAllUsage(
                  USAGE.getOrDefault(service + "|" + day, List.of()).stream()
                      .map(b -> parse(GreenHelixUsage.parser(), b))
                      .toList())
              .build());
      response.onCompleted();
    }
  }
}
