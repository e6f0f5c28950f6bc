package io.botfleet.deploy.sim;

import io.botfleet.common.v1.Scope;
import io.botfleet.fleet.v1.Bot;
import io.botfleet.fleet.v1.Command;
import io.botfleet.fleet.v1.CommandDelivery;
import io.botfleet.fleet.v1.FleetServiceGrpc;
import io.botfleet.fleet.v1.GetBotRequest;
import io.botfleet.fleet.v1.GetBotResponse;
import io.botfleet.fleet.v1.GetCommandStatusRequest;
import io.botfleet.fleet.v1.GetCommandStatusResponse;
import io.botfleet.fleet.v1.GroupPolicy;
import io.botfleet.fleet.v1.ListBotsRequest;
import io.botfleet.fleet.v1.ListBotsResponse;
import io.botfleet.fleet.v1.ListGroupPoliciesRequest;
import io.botfleet.fleet.v1.ListGroupPoliciesResponse;
import io.botfleet.fleet.v1.PauseBotsRequest;
import io.botfleet.fleet.v1.PauseBotsResponse;
import io.botfleet.fleet.v1.ResumeBotsRequest;
import io.botfleet.fleet.v1.ResumeBotsResponse;
import io.botfleet.fleet.v1.SendCommandRequest;
import io.botfleet.fleet.v1.SendCommandResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** fleet.v1 as the simulated fleet answers it (the RPCs deploy-service calls). */
final class FakeFleetService extends FleetServiceGrpc.FleetServiceImplBase {

  private final SimulatedFleet fleet;

  FakeFleetService(SimulatedFleet fleet) {
    this.fleet = fleet;
  }

  @Override
  public void getBot(GetBotRequest request, StreamObserver<GetBotResponse> response) {
    latency();
    SimBot bot =
        request.hasBotId()
            ? fleet.bots.get(request.getBotId())
            : fleet.bots.values().stream()
                .filter(b -> b.name.equals(request.getName()))
                .findFirst()
                .orElse(null);
    if (bot == null) {
      response.onError(Status.NOT_FOUND.withDescription("no such bot").asRuntimeException());
      return;
    }
    response.onNext(GetBotResponse.newBuilder().setBot(toProto(bot)).build());
    response.onCompleted();
  }

  @Override
  public void listBots(ListBotsRequest request, StreamObserver<ListBotsResponse> response) {
    latency();
    ListBotsResponse.Builder answer = ListBotsResponse.newBuilder();
    fleet.bots(request.getGroup()).forEach(b -> answer.addBots(toProto(b)));
    answer.setTotalSize(answer.getBotsCount());
    response.onNext(answer.build());
    response.onCompleted();
  }

  @Override
  public void listGroupPolicies(
      ListGroupPoliciesRequest request, StreamObserver<ListGroupPoliciesResponse> response) {
    latency();
    ListGroupPoliciesResponse.Builder answer = ListGroupPoliciesResponse.newBuilder();
    fleet.statefulGroups.forEach(
        g -> answer.addPolicies(GroupPolicy.newBuilder().setGroup(g).setStateful(true)));
    response.onNext(answer.build());
    response.onCompleted();
  }

  @Override
  public void sendCommand(
      SendCommandRequest request, StreamObserver<SendCommandResponse> response) {
    latency();
    if (request.getRequestId().isEmpty() || !request.getScope().hasBots()) {
      response.onError(
          Status.INVALID_ARGUMENT
              .withDescription("request_id and chosen bots required")
              .asRuntimeException());
      return;
    }
    if (request.getType().equals(fleet.refusedType)
        && request.getScope().getBots().getBotIdsList().contains(fleet.refusedForBot)) {
      response.onError(
          io.grpc.protobuf.StatusProto.toStatusRuntimeException(
              com.google.rpc.Status.newBuilder()
                  .setCode(Status.Code.FAILED_PRECONDITION.value())
                  .setMessage("bot " + fleet.refusedForBot + " is stopped")
                  .addDetails(
                      com.google.protobuf.Any.pack(
                          com.google.rpc.ErrorInfo.newBuilder()
                              .setReason("BOT_STOPPED")
                              .setDomain("botfleet.io")
                              .build()))
                  .build()));
      return;
    }
    SimulatedFleet.Command command =
        fleet.send(
            request.getType(),
            request.getPayload(),
            request.getScope().getBots().getBotIdsList(),
            request.getRequestId());
    CountDownLatch hold = fleet.holdUpdateResponses;
    if (hold != null && request.getType().equals("update_version")) {
      fleet.updateHeld.countDown();
      try {
        hold.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    response.onNext(answer(command));
    response.onCompleted();
  }

  @Override
  public void getCommandStatus(
      GetCommandStatusRequest request, StreamObserver<GetCommandStatusResponse> response) {
    latency();
    SimulatedFleet.Command command = fleet.commandsById.get(request.getCommandId());
    if (command == null) {
      response.onError(Status.NOT_FOUND.withDescription("no such command").asRuntimeException());
      return;
    }
    GetCommandStatusResponse.Builder answer =
        GetCommandStatusResponse.newBuilder().setCommand(toProto(command));
    Map<String, SimulatedFleet.DeliveryRecord> deliveries = fleet.deliveries.get(command.id());
    for (String botId : command.botIds()) {
      SimulatedFleet.DeliveryRecord d = deliveries.get(botId);
      SimBot bot = fleet.bots.get(botId);
      answer.addDeliveries(
          CommandDelivery.newBuilder()
              .setCommandId(command.id())
              .setBotId(botId)
              .setBotName(bot == null ? "" : bot.name)
              .setState(d.state)
              .setMessage(d.message)
              .setUpdateTime(SimulatedFleet.timestamp(d.updateTime)));
    }
    response.onNext(answer.build());
    response.onCompleted();
  }

  @Override
  public void pauseBots(PauseBotsRequest request, StreamObserver<PauseBotsResponse> response) {
    latency();
    SimulatedFleet.Command command =
        fleet.send(
            "pause",
            com.google.protobuf.Struct.getDefaultInstance(),
            ids(request.getScope()),
            request.getRequestId());
    response.onNext(
        PauseBotsResponse.newBuilder()
            .setCommand(toProto(command))
            .addAllBotIds(command.botIds())
            .build());
    response.onCompleted();
  }

  @Override
  public void resumeBots(ResumeBotsRequest request, StreamObserver<ResumeBotsResponse> response) {
    latency();
    SimulatedFleet.Command command =
        fleet.send(
            "resume",
            com.google.protobuf.Struct.getDefaultInstance(),
            ids(request.getScope()),
            request.getRequestId());
    response.onNext(
        ResumeBotsResponse.newBuilder()
            .setCommand(toProto(command))
            .addAllBotIds(command.botIds())
            .build());
    response.onCompleted();
  }

  private void latency() {
    if (fleet.fleetLatencyMillis > 0) {
      try {
        Thread.sleep(fleet.fleetLatencyMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static List<String> ids(Scope scope) {
    return scope.getBots().getBotIdsList();
  }

  private static SendCommandResponse answer(SimulatedFleet.Command command) {
    return SendCommandResponse.newBuilder()
        .setCommand(toProto(command))
        .addAllBotIds(command.botIds())
        .build();
  }

  private static Command toProto(SimulatedFleet.Command c) {
    return Command.newBuilder()
        .setId(c.id())
        .setType(c.type())
        .setPayload(c.payload())
        .setRequestId(c.requestId())
        .setTargetCount(c.botIds().size())
        .build();
  }

  static Bot toProto(SimBot b) {
    return Bot.newBuilder()
        .setId(b.id)
        .setName(b.name)
        .setGroup(b.group)
        .setExchange(b.exchange)
        .setStrategy("trend-following-perps")
        .setVersion(b.version)
        .setStatus(b.status)
        .setStandby(b.standby)
        .setConnected(b.heartbeating)
        .build();
  }
}
