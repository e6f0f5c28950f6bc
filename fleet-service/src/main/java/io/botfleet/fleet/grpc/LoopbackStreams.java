package io.botfleet.fleet.grpc;

import io.botfleet.common.auth.CachedKey;
import io.botfleet.common.auth.KeyCache;
import io.botfleet.common.auth.KeyState;
import io.botfleet.common.auth.Principal;
import io.botfleet.common.v1.OperatorRole;
import io.botfleet.common.v1.PrincipalKind;
import io.botfleet.fleet.service.CommandSink;
import io.botfleet.fleet.service.Replica;
import io.botfleet.fleet.service.Warmup;
import io.botfleet.fleet.v1.AckState;
import io.botfleet.fleet.v1.CommandAck;
import io.botfleet.fleet.v1.FleetServiceGrpc;
import io.botfleet.fleet.v1.StreamCommandsRequest;
import io.botfleet.fleet.v1.StreamCommandsResponse;
import io.botfleet.signing.Credentials;
import io.botfleet.signing.RequestSigner;
import io.botfleet.signing.SigningClientInterceptor;
import io.botfleet.signing.SigningKey;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.quarkus.runtime.LaunchMode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Command streams this replica opens to itself for the start-up warm-up, as a bot would (signed,
 * over loopback), under a warm-up identity whose key is made here, known only to this process's key
 * cache, and dropped when the warm-up ends. Their server ends never reach the dispatcher's bots:
 * {@link CommandStreams} hands them to the warm-up instead.
 */
@ApplicationScoped
public class LoopbackStreams implements Warmup.Streams {

  @Inject KeyCache keyCache;
  @Inject Replica replica;

  private final LinkedBlockingQueue<CommandSink> serverEnds = new LinkedBlockingQueue<>();
  private final List<StreamObserver<StreamCommandsRequest>> clientEnds = new ArrayList<>();
  private volatile String agentId;
  private ManagedChannel channel;

  /** True for the warm-up identity while the warm-up runs. */
  boolean isWarmup(String callerId) {
    return callerId.equals(agentId);
  }

  /** A server end opened by the warm-up. */
  void accepted(CommandSink sink) {
    serverEnds.add(sink);
  }

  @Override
  public List<CommandSink> open(int count) {
    agentId = "warmup-" + replica.id();
    Credentials credentials = new Credentials(agentId, 1, SigningKey.generate());
    keyCache.upsert(
        new CachedKey(
            new Principal(
                agentId,
                PrincipalKind.PRINCIPAL_KIND_BOT,
                OperatorRole.OPERATOR_ROLE_UNSPECIFIED,
                agentId),
            1,
            credentials.key().publicKey(),
            KeyState.CURRENT),
        keyCache.revision());
    String portKey =
        LaunchMode.current() == LaunchMode.TEST ? "quarkus.http.test-port" : "quarkus.http.port";
    int port = ConfigProvider.getConfig().getValue(portKey, Integer.class);
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    FleetServiceGrpc.FleetServiceStub stub =
        FleetServiceGrpc.newStub(channel)
            .withInterceptors(new SigningClientInterceptor(new RequestSigner(() -> credentials)));
    for (int i = 0; i < count; i++) {
      AckingObserver observer = new AckingObserver();
      observer.up = stub.streamCommands(observer);
      clientEnds.add(observer.up);
    }
    List<CommandSink> sinks = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        CommandSink sink = serverEnds.poll(10, TimeUnit.SECONDS);
        if (sink == null) {
          break;
        }
        sinks.add(sink);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (sinks.isEmpty()) {
      close();
      throw new IllegalStateException("no loopback stream opened on port " + port);
    }
    return sinks;
  }

  @Override
  public void close() {
    for (StreamObserver<StreamCommandsRequest> up : clientEnds) {
      synchronized (up) {
        try {
          up.onCompleted();
        } catch (RuntimeException e) {
          // gone
        }
      }
    }
    clientEnds.clear();
    if (channel != null) {
      channel.shutdown();
    }
    if (agentId != null) {
      keyCache.revoke(agentId, keyCache.revision());
      agentId = null;
    }
  }

  /** A warm-up bot: acknowledges everything at once, as a fast bot would. */
  private static final class AckingObserver implements StreamObserver<StreamCommandsResponse> {
    StreamObserver<StreamCommandsRequest> up;

    @Override
    public void onNext(StreamCommandsResponse response) {
      synchronized (up) {
        up.onNext(
            StreamCommandsRequest.newBuilder()
                .setAck(
                    CommandAck.newBuilder()
                        .setCommandId(response.getCommand().getCommandId())
                        .setSequence(response.getCommand().getSequence())
                        .setState(AckState.ACK_STATE_DONE))
                .build());
      }
    }

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onCompleted() {}
  }
}
