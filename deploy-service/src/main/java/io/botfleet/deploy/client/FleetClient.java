package io.botfleet.deploy.client;

import com.google.protobuf.Timestamp;
import io.botfleet.common.error.BotfleetException;
import io.botfleet.common.grpc.RemoteErrors;
import io.botfleet.common.v1.BotIds;
import io.botfleet.common.v1.Scope;
import io.botfleet.deploy.config.DeployConfig;
import io.botfleet.deploy.domain.BotStatus;
import io.botfleet.deploy.domain.Delivery;
import io.botfleet.deploy.domain.DeliveryState;
import io.botfleet.deploy.domain.FleetBot;
import io.botfleet.fleet.v1.Bot;
import io.botfleet.fleet.v1.FleetServiceGrpc;
import io.botfleet.fleet.v1.GetBotRequest;
import io.botfleet.fleet.v1.GetCommandStatusRequest;
import io.botfleet.fleet.v1.GetCommandStatusResponse;
import io.botfleet.fleet.v1.GroupPolicy;
import io.botfleet.fleet.v1.ListBotsRequest;
import io.botfleet.fleet.v1.ListBotsResponse;
import io.botfleet.fleet.v1.ListGroupPoliciesRequest;
import io.botfleet.fleet.v1.PauseBotsRequest;
import io.botfleet.fleet.v1.ResumeBotsRequest;
import io.botfleet.fleet.v1.SendCommandRequest;
import io.grpc.Channel;
import io.quarkus.grpc.GrpcClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * deploy-service's calls to fleet-service: the selected bots with their versions and status, the
 * update_version and rollback_version commands (scoped to chosen bots), their acknowledgements, and
 * pause/resume for draining stateful groups. Every call has a deadline; a failure arrives as a
 * {@link BotfleetException} (UNAVAILABLE when it is worth retrying).
 */
@ApplicationScoped
public class FleetClient {

  private static final String SERVICE = "fleet-service";
  private static final RemoteErrors ERRORS = new RemoteErrors("deploy-service");
  private static final int PAGE = 1000;

  @GrpcClient("fleet")
  Channel channel;

  @Inject DeployConfig config;

  /** Every bot of a group, by name. */
  public List<FleetBot> listGroup(String group) {
    return list(group);
  }

  /** Every bot of the fleet, by name. */
  public List<FleetBot> listAll() {
    return list("");
  }

  /** One bot, or empty if fleet-service does not know it. */
  public Optional<FleetBot> findBot(String botId) {
    try {
      Bot bot =
          ERRORS.call(
              SERVICE,
              "GetBot",
              () -> stub().getBot(GetBotRequest.newBuilder().setBotId(botId).build()).getBot());
      return Optional.of(toDomain(bot));
    } catch (BotfleetException e) {
      if (e.kind() == BotfleetException.Kind.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** The groups whose policy says stateful (deployments drain their bots first). */
  public Set<String> statefulGroups() {
    return ERRORS
        .call(
            SERVICE,
            "ListGroupPolicies",
            () -> stub().listGroupPolicies(ListGroupPoliciesRequest.getDefaultInstance()))
        .getPoliciesList()
        .stream()
        .filter(GroupPolicy::getStateful)
        .map(GroupPolicy::getGroup)
        .collect(Collectors.toSet());
  }

  /**
   * Sends a command to chosen bots. Idempotent: the same {@code requestId} returns the command the
   * first call created, so a call repeated after a crash sends nothing twice.
   *
   * @return the command id
   */
  public String sendCommand(
      Collection<String> botIds,
      String type,
      Map<String, ?> payload,
      Duration ttl,
      String requestId) {
    SendCommandRequest request =
        SendCommandRequest.newBuilder()
            .setScope(bots(botIds))
            .setType(type)
            .setPayload(Structs.of(payload))
            .setTtl(duration(ttl))
            .setRequestId(requestId)
            .build();
    return ERRORS
        .call(SERVICE, "SendCommand", () -> stub().sendCommand(request))
        .getCommand()
        .getId();
  }

  /** Where a command stands for each bot it was addressed to. */
  public List<Delivery> deliveries(String commandId) {
    List<Delivery> deliveries = new ArrayList<>();
    String token = "";
    do {
      GetCommandStatusRequest request =
          GetCommandStatusRequest.newBuilder()
              .setCommandId(commandId)
              .setPageSize(PAGE)
              .setPageToken(token)
              .build();
      GetCommandStatusResponse page =
          ERRORS.call(SERVICE, "GetCommandStatus", () -> stub().getCommandStatus(request));
      page.getDeliveriesList()
          .forEach(
              d ->
                  deliveries.add(
                      new Delivery(
                          d.getBotId(),
                          toDomain(d.getState()),
                          d.getMessage(),
                          d.hasUpdateTime() ? instant(d.getUpdateTime()) : null)));
      token = page.getNextPageToken();
    } while (!token.isEmpty());
    return deliveries;
  }

  /**
   * Pauses chosen bots (so a stateful bot stops opening positions and can drain). Idempotent by
   * {@code requestId}.
   *
   * @return the pause command's id
   */
  public String pauseBots(Collection<String> botIds, String reason, String requestId) {
    PauseBotsRequest request =
        PauseBotsRequest.newBuilder()
            .setScope(bots(botIds))
            .setReason(reason)
            .setRequestId(requestId)
            .build();
    return ERRORS.call(SERVICE, "PauseBots", () -> stub().pauseBots(request)).getCommand().getId();
  }

  /**
   * Resumes chosen bots (only the paused ones of them resume). Idempotent by {@code requestId}.
   *
   * @return the resume command's id
   */
  public String resumeBots(Collection<String> botIds, String reason, String requestId) {
    ResumeBotsRequest request =
        ResumeBotsRequest.newBuilder()
            .setScope(bots(botIds))
            .setReason(reason)
            .setRequestId(requestId)
            .build();
    return ERRORS
        .call(SERVICE, "ResumeBots", () -> stub().resumeBots(request))
        .getCommand()
        .getId();
  }

  private List<FleetBot> list(String group) {
    List<FleetBot> bots = new ArrayList<>();
    String token = "";
    do {
      ListBotsRequest request =
          ListBotsRequest.newBuilder()
              .setGroup(group)
              .setPageSize(PAGE)
              .setPageToken(token)
              .build();
      ListBotsResponse page = ERRORS.call(SERVICE, "ListBots", () -> stub().listBots(request));
      page.getBotsList().forEach(b -> bots.add(toDomain(b)));
      token = page.getNextPageToken();
    } while (!token.isEmpty());
    return bots;
  }

  private FleetServiceGrpc.FleetServiceBlockingStub stub() {
    return FleetServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(config.callDeadline().toMillis(), TimeUnit.MILLISECONDS);
  }

  private static Scope bots(Collection<String> botIds) {
    return Scope.newBuilder().setBots(BotIds.newBuilder().addAllBotIds(botIds)).build();
  }

  static FleetBot toDomain(Bot bot) {
    return new FleetBot(
        bot.getId(),
        bot.getName(),
        bot.getGroup(),
        bot.getVersion(),
        toDomain(bot.getStatus()),
        bot.getStandby());
  }

  static BotStatus toDomain(io.botfleet.fleet.v1.BotStatus status) {
    return switch (status) {
      case BOT_STATUS_PENDING -> BotStatus.PENDING;
      case BOT_STATUS_ACTIVE -> BotStatus.ACTIVE;
      case BOT_STATUS_PAUSED -> BotStatus.PAUSED;
      case BOT_STATUS_STOPPED -> BotStatus.STOPPED;
      case BOT_STATUS_DEAD -> BotStatus.DEAD;
      case BOT_STATUS_STANDBY -> BotStatus.STANDBY;
      case BOT_STATUS_DEREGISTERING -> BotStatus.DEREGISTERING;
      case BOT_STATUS_DEREGISTERED -> BotStatus.DEREGISTERED;
      case BOT_STATUS_REVOKED -> BotStatus.REVOKED;
      default -> BotStatus.UNKNOWN;
    };
  }

  static DeliveryState toDomain(io.botfleet.fleet.v1.DeliveryState state) {
    return switch (state) {
      case DELIVERY_STATE_PENDING -> DeliveryState.PENDING;
      case DELIVERY_STATE_SENT -> DeliveryState.SENT;
      case DELIVERY_STATE_ACCEPTED -> DeliveryState.ACCEPTED;
      case DELIVERY_STATE_DONE -> DeliveryState.DONE;
      case DELIVERY_STATE_REJECTED -> DeliveryState.REJECTED;
      case DELIVERY_STATE_FAILED -> DeliveryState.FAILED;
      case DELIVERY_STATE_EXPIRED -> DeliveryState.EXPIRED;
      case DELIVERY_STATE_CANCELLED -> DeliveryState.CANCELLED;
      default -> DeliveryState.UNKNOWN;
    };
  }

  private static com.google.protobuf.Duration duration(Duration d) {
    return com.google.protobuf.Duration.newBuilder()
        .setSeconds(d.getSeconds())
        .setNanos(d.getNano())
        .build();
  }

  static Instant instant(Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }
}
