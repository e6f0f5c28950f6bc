package io.botfleet.billing.client;

import io.botfleet.billing.config.BillingConfig;
import io.botfleet.billing.domain.BotInfo;
import io.botfleet.common.v1.BotIds;
import io.botfleet.common.v1.Scope;
import io.botfleet.fleet.v1.Bot;
import io.botfleet.fleet.v1.FleetServiceGrpc;
import io.botfleet.fleet.v1.GetBotRequest;
import io.botfleet.fleet.v1.ListBotsRequest;
import io.botfleet.fleet.v1.ListBotsResponse;
import io.botfleet.fleet.v1.PauseBotsRequest;
import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * fleet-service, for bot metadata and for pausing a bot over budget. Every call has a deadline;
 * failures come back as UNAVAILABLE (retry later) or FAILED_PRECONDITION (fleet refused), never as
 * gRPC types.
 */
@ApplicationScoped
public class FleetClient {

  private static final int PAGE = 1000;

  /** Quarkus injects channels; its global interceptor signs the calls as svc-billing. */
  @GrpcClient("fleet")
  Channel channel;

  @Inject BillingConfig config;

  /**
   * A bot by id; empty if fleet-service knows no such bot (or cannot read the id as one). Quick:
   * used while booking.
   */
  public Optional<BotInfo> getBot(String botId) {
    try {
      Bot bot =
          stub(config.clients().lookupDeadline())
              .getBot(GetBotRequest.newBuilder().setBotId(botId).build())
              .getBot();
      return Optional.of(toBotInfo(bot));
    } catch (StatusRuntimeException e) {
      if (RemoteCalls.isNoSuchBot(e)) {
        return Optional.empty();
      }
      throw RemoteCalls.failure("fleet", "GetBot " + botId, e);
    }
  }

  /** Every bot of the fleet (all statuses), or of one group when {@code group} is not empty. */
  public List<BotInfo> listBots(String group) {
    List<BotInfo> bots = new ArrayList<>();
    String token = "";
    try {
      do {
        ListBotsResponse page =
            stub(config.clients().deadline())
                .listBots(
                    ListBotsRequest.newBuilder()
                        .setGroup(group)
                        .setPageSize(PAGE)
                        .setPageToken(token)
                        .build());
        page.getBotsList().forEach(bot -> bots.add(toBotInfo(bot)));
        token = page.getNextPageToken();
      } while (!token.isEmpty());
    } catch (StatusRuntimeException e) {
      throw RemoteCalls.failure("fleet", "ListBots", e);
    }
    return bots;
  }

  /**
   * Pauses one bot (`pause` {reason, timestamp}). Idempotent by {@code requestId}, so a retry after
   * a lost answer pauses once. Returns the command id.
   */
  public String pauseBot(String botId, String reason, String requestId) {
    try {
      return stub(config.clients().deadline())
          .pauseBots(
              PauseBotsRequest.newBuilder()
                  .setScope(
                      Scope.newBuilder().setBots(BotIds.newBuilder().addBotIds(botId)).build())
                  .setReason(reason)
                  .setRequestId(requestId)
                  .build())
          .getCommand()
          .getId();
    } catch (StatusRuntimeException e) {
      throw RemoteCalls.failure("fleet", "PauseBots " + botId, e);
    }
  }

  private FleetServiceGrpc.FleetServiceBlockingStub stub(Duration deadline) {
    return FleetServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static BotInfo toBotInfo(Bot bot) {
    return new BotInfo(
        bot.getId(),
        bot.getName(),
        bot.getGroup(),
        bot.getStrategy(),
        bot.getExchange(),
        bot.getStatus().name().replace("BOT_STATUS_", ""),
        bot.getStandby());
  }
}
