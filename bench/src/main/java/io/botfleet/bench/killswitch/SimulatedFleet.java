package io.botfleet.bench.killswitch;

import io.botfleet.fleet.v1.AckState;
import io.botfleet.fleet.v1.BotCommand;
import io.botfleet.fleet.v1.CommandAck;
import io.botfleet.fleet.v1.FleetServiceGrpc;
import io.botfleet.fleet.v1.StreamCommandsRequest;
import io.botfleet.fleet.v1.StreamCommandsResponse;
import io.botfleet.signing.Credentials;
import io.botfleet.signing.RequestSigner;
import io.botfleet.signing.SigningClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Simulated bots on their command streams, each signed with its own key, each acknowledging a
 * command DONE as soon as it arrives (a real bot would cancel its orders first: that time is the
 * bot's, not the control plane's). Records when each bot received and acknowledged each command.
 */
final class SimulatedFleet implements AutoCloseable {

  private final List<ManagedChannel> channels = new ArrayList<>();
  private final List<StreamObserver<StreamCommandsRequest>> streams = new ArrayList<>();
  private final NioEventLoopGroup group = new NioEventLoopGroup(2);
  private final Map<String, long[]> times = new ConcurrentHashMap<>();
  private final AtomicLong received = new AtomicLong();
  private volatile CountDownLatch allReceived = new CountDownLatch(0);
  private volatile boolean closing;

  /** Opens every bot's stream over {@code connections} HTTP/2 connections. */
  SimulatedFleet(int port, List<Credentials> bots, int connections) {
    for (int i = 0; i < connections; i++) {
      channels.add(
          NettyChannelBuilder.forAddress("127.0.0.1", port)
              .usePlaintext()
              .eventLoopGroup(group)
              .channelType(NioSocketChannel.class)
              .build());
    }
    for (int i = 0; i < bots.size(); i++) {
      Credentials bot = bots.get(i);
      ManagedChannel channel = channels.get(i % channels.size());
      Observer observer = new Observer();
      StreamObserver<StreamCommandsRequest> up =
          FleetServiceGrpc.newStub(channel)
              .withInterceptors(new SigningClientInterceptor(new RequestSigner(() -> bot)))
              .streamCommands(observer);
      observer.up = up;
      streams.add(up);
    }
  }

  /** Expects one command on every bot; returns the latch that opens when all have it. */
  CountDownLatch expect(int bots) {
    times.clear();
    received.set(0);
    allReceived = new CountDownLatch(bots);
    return allReceived;
  }

  /** Receipt and ack times (System.nanoTime) of the command, per bot. */
  Map<String, long[]> times() {
    return times;
  }

  @Override
  public void close() throws InterruptedException {
    closing = true;
    for (StreamObserver<StreamCommandsRequest> stream : streams) {
      try {
        stream.onCompleted();
      } catch (RuntimeException e) {
        // gone
      }
    }
    for (ManagedChannel channel : channels) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }

  private final class Observer implements StreamObserver<StreamCommandsResponse> {
    StreamObserver<StreamCommandsRequest> up;

    @Override
    public void onNext(StreamCommandsResponse response) {
      long at = System.nanoTime();
      BotCommand command = response.getCommand();
      synchronized (this) {
        up.onNext(
            StreamCommandsRequest.newBuilder()
                .setAck(
                    CommandAck.newBuilder()
                        .setCommandId(command.getCommandId())
                        .setSequence(command.getSequence())
                        .setState(AckState.ACK_STATE_DONE))
                .build());
      }
      times.put(
          command.getCommandId()
              + "/"
              + command.getSequence()
              + "/"
              + System.identityHashCode(this),
          new long[] {at, System.nanoTime()});
      received.incrementAndGet();
      allReceived.countDown();
    }

    @Override
    public void onError(Throwable t) {
      if (!closing) {
        System.err.println("a bot's stream failed: " + t);
      }
    }

    @Override
    public void onCompleted() {}
  }
}
