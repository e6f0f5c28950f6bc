package io.botfleet.fleet.grpc;

import io.botfleet.common.auth.Caller;
import io.botfleet.common.error.BotfleetException;
import io.botfleet.common.grpc.GrpcErrors;
import io.botfleet.fleet.domain.DeliveryState;
import io.botfleet.fleet.domain.OutgoingCommand;
import io.botfleet.fleet.service.BotConnection;
import io.botfleet.fleet.service.CommandDispatcher;
import io.botfleet.fleet.service.CommandSink;
import io.botfleet.fleet.v1.CommandAck;
import io.botfleet.fleet.v1.StreamCommandsRequest;
import io.botfleet.fleet.v1.StreamCommandsResponse;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;

/**
 * The StreamCommands side of the adapter: one bot's stream, bound to the bot that opened it.
 * Commands go down as the dispatcher hands them over (respecting flow control); acknowledgements
 * come up and are recorded in batches.
 */
@ApplicationScoped
public class CommandStreams {

  @Inject CommandDispatcher dispatcher;
  @Inject LoopbackStreams loopback;

  StreamObserver<StreamCommandsRequest> open(StreamObserver<StreamCommandsResponse> response) {
    ServerCallStreamObserver<StreamCommandsResponse> call =
        (ServerCallStreamObserver<StreamCommandsResponse>) response;
    String botId = Caller.current().agentId();
    Sink sink = new Sink(call);
    if (loopback.isWarmup(botId)) {
      return warmup(sink);
    }
    BotConnection connection = dispatcher.open(botId, sink);
    // These run on the transport's event loop, which may hold the HTTP/2 connection's lock while
    // a dispatcher thread holding the bot's lock waits for it to write: hand them over.
    call.setOnReadyHandler(() -> dispatcher.later(() -> dispatcher.ready(connection)));
    call.setOnCancelHandler(() -> dispatcher.later(() -> dispatcher.closed(connection)));
    return new StreamObserver<>() {
      private boolean warned;

      @Override
      public void onNext(StreamCommandsRequest request) {
        if (!request.hasAck()) {
          return;
        }
        CommandAck ack = request.getAck();
        DeliveryState state =
            switch (ack.getState()) {
              case ACK_STATE_ACCEPTED -> DeliveryState.ACCEPTED;
              case ACK_STATE_DONE -> DeliveryState.DONE;
              case ACK_STATE_REJECTED -> DeliveryState.REJECTED;
              case ACK_STATE_FAILED -> DeliveryState.FAILED;
              default -> null;
            };
        UUID commandId = parse(ack.getCommandId());
        if (state == null || commandId == null || ack.getSequence() <= 0) {
          if (!warned) {
            warned = true;
            Log.warnf(
                "Bot %s sent a malformed acknowledgement (command_id %s, sequence %d, state %s);"
                    + " ignored",
                botId, ack.getCommandId(), ack.getSequence(), ack.getState());
          }
          return;
        }
        String message = ack.getMessage();
        dispatcher.acknowledge(
            botId,
            ack.getSequence(),
            commandId,
            state,
            message.length() > 1024 ? message.substring(0, 1024) : message);
      }

      @Override
      public void onError(Throwable t) {
        dispatcher.later(() -> dispatcher.closed(connection));
      }

      @Override
      public void onCompleted() {
        dispatcher.later(
            () -> {
              dispatcher.closed(connection);
              sink.complete();
            });
      }
    };
  }

  /** A warm-up stream: its acks go through the same path as a bot's, and meet no delivery. */
  private StreamObserver<StreamCommandsRequest> warmup(Sink sink) {
    loopback.accepted(sink);
    return new StreamObserver<>() {
      @Override
      public void onNext(StreamCommandsRequest request) {
        CommandAck ack = request.getAck();
        UUID commandId = parse(ack.getCommandId());
        if (commandId != null) {
          dispatcher.acknowledge(
              "warmup", ack.getSequence(), commandId, DeliveryState.DONE, ack.getMessage());
        }
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {
        dispatcher.later(sink::complete);
      }
    };
  }

  private static UUID parse(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Writes to one stream; serialized, since the dispatcher and a closing call may race. */
  static final class Sink implements CommandSink {

    private final ServerCallStreamObserver<StreamCommandsResponse> call;
    private boolean ended;

    Sink(ServerCallStreamObserver<StreamCommandsResponse> call) {
      this.call = call;
    }

    @Override
    public synchronized void send(OutgoingCommand command) {
      if (ended) {
        return;
      }
      try {
        call.onNext(
            StreamCommandsResponse.newBuilder()
                .setCommand(CommandMapper.toBotCommand(command))
                .build());
      } catch (RuntimeException e) {
        ended = true;
      }
    }

    @Override
    public synchronized boolean ready() {
      return !ended && call.isReady();
    }

    @Override
    public synchronized void refuse(String reason, String message) {
      if (ended) {
        return;
      }
      ended = true;
      BotfleetException error =
          "BOT_NOT_IN_FLEET".equals(reason) || "STREAM_REPLACED".equals(reason)
              ? BotfleetException.failedPrecondition(reason, message, Map.of())
              : BotfleetException.unavailable(reason, message);
      try {
        call.onError(GrpcErrors.toStatusException(error));
      } catch (RuntimeException e) {
        // already closed by the peer
      }
    }

    synchronized void complete() {
      if (ended) {
        return;
      }
      ended = true;
      try {
        call.onCompleted();
      } catch (RuntimeException e) {
        // already closed by the peer
      }
    }
  }
}
