package io.botfleet.sdk.fake;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.botfleet.billing.v1.Fill;
import io.botfleet.common.auth.CachedKey;
import io.botfleet.common.auth.KeyCache;
import io.botfleet.common.auth.KeyState;
import io.botfleet.common.auth.Principal;
import io.botfleet.common.auth.RequestVerifier;
import io.botfleet.common.v1.OperatorRole;
import io.botfleet.common.v1.PrincipalKind;
import io.botfleet.fleet.v1.StreamCommandsResponse;
import io.botfleet.health.v1.Heartbeat;
import io.botfleet.health.v1.StreamHeartbeatsResponse;
import io.botfleet.identity.v1.IdentityServiceGrpc;
import io.botfleet.sdk.Connections;
import io.botfleet.sdk.Endpoints;
import io.botfleet.signing.RawBytesMarshaller;
import io.botfleet.signing.VerifyingKey;
import io.grpc.BindableService;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small control plane for tests: identity (enrollment, rotation), fleet (command streams),
 * permission (check streams, {@link #permissions()}), health (heartbeat streams) and billing
 * (fills) on one gRPC server, in process or on a local port. It verifies every call like the
 * services do (common's {@link RequestVerifier} over the bytes as received) and keeps what it saw,
 * so tests can assert on it. Tests steer it: issue tokens, send commands, begin rotations, drop
 * every stream, go unavailable, stop answering heartbeats.
 */
public final class FakeControlPlane implements AutoCloseable {

  private static final SecureRandom RANDOM = new SecureRandom();

  final KeyCache keys = new KeyCache();
  final AtomicLong revision = new AtomicLong();
  final Map<String, String> tokens = new ConcurrentHashMap<>();
  final Map<String, FakeIdentity> identities = new ConcurrentHashMap<>();
  final List<CallRecord> calls = new CopyOnWriteArrayList<>();
  final Map<String, List<Heartbeat>> heartbeats = new ConcurrentHashMap<>();
  final Map<String, Map<String, Fill>> fills = new ConcurrentHashMap<>();
  final Map<String, List<FakeCommand>> commands = new ConcurrentHashMap<>();
  final Map<String, ServerCallStreamObserver<StreamCommandsResponse>> commandStreams =
      new ConcurrentHashMap<>();
  final Set<ServerCallStreamObserver<StreamHeartbeatsResponse>> heartbeatStreams =
      ConcurrentHashMap.newKeySet();
  private final Map<String, AtomicLong> sequences = new ConcurrentHashMap<>();
  private volatile boolean unavailable;
  private final Set<String> unavailableServices = ConcurrentHashMap.newKeySet();
  private final Map<String, Duration> verificationDelays = new ConcurrentHashMap<>();
  private volatile boolean healthSilent;
  private volatile boolean commandHeadersAtOnce = true;
  private volatile Duration healthDelay = Duration.ZERO;
  private final FakePermissionService permissions = new FakePermissionService();
  private final Server server;
  private final ManagedChannel channel;
  private final int port;

  private FakeControlPlane(boolean overNetwork) throws IOException {
    RequestVerifier verifier = new RequestVerifier(keys, Duration.ofSeconds(30));
    keys.markReady();
    VerifyingInterceptor interceptor =
        new VerifyingInterceptor(
            verifier,
            Set.of(IdentityServiceGrpc.getEnrollBotMethod().getFullMethodName()),
            calls::add,
            this);
    ServerBuilder<?> builder;
    String name = InProcessServerBuilder.generateName();
    if (overNetwork) {
      // The SDK pings every 30 s to find dead connections; grpc-java servers allow one ping per
      // 5 min by default and close connections that ping more often.
      builder =
          Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
              .permitKeepAliveTime(10, TimeUnit.SECONDS)
              .permitKeepAliveWithoutCalls(true);
    } else {
      builder = InProcessServerBuilder.forName(name);
    }
    for (BindableService service :
        List.of(
            new FakeIdentityService(this),
            new FakeFleetService(this),
            permissions,
            new FakeHealthService(this),
            new FakeBillingService(this))) {
      builder.addService(
          ServerInterceptors.intercept(
              ServerInterceptors.useMarshalledMessages(
                  service.bindService(), RawBytesMarshaller.INSTANCE),
              new EarlyHeaders(this),
              interceptor));
    }
    server = builder.build().start();
    port = overNetwork ? server.getPort() : -1;
    channel = overNetwork ? null : InProcessChannelBuilder.forName(name).build();
  }

  /** A control plane reachable in process ({@link #connections()}). */
  public static FakeControlPlane inProcess() throws IOException {
    return new FakeControlPlane(false);
  }

  /** A control plane on a free local port ({@link #endpoints()}). */
  public static FakeControlPlane onLocalPort() throws IOException {
    return new FakeControlPlane(true);
  }

  /** Channels to it (in process). */
  public Connections connections() {
    return Connections.of(channel, channel, channel, channel, channel);
  }

  /** Its address for all five services (on a local port). */
  public Endpoints endpoints() {
    String url = "http://127.0.0.1:" + port;
    return Endpoints.of(url, url, url, url, url);
  }

  @Override
  public void close() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow();
    }
    server.shutdownNow();
    server.awaitTermination(5, TimeUnit.SECONDS);
  }

  // ---- steering ----

  /** A one-time enrollment token for {@code name}. */
  public String issueToken(String name) {
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    String token = "bfe_" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    tokens.put(token, name);
    return token;
  }

  /** Makes every new call fail with UNAVAILABLE (and, with {@link #dropStreams()}, an outage). */
  public void unavailable(boolean unavailable) {
    this.unavailable = unavailable;
  }

  /**
   * Makes every new call to one service fail with UNAVAILABLE, e.g.
   * "botfleet.fleet.v1.FleetService".
   */
  public void unavailable(String service, boolean unavailable) {
    if (unavailable) {
      unavailableServices.add(service);
    } else {
      unavailableServices.remove(service);
    }
  }

  boolean unavailable(String service) {
    return unavailable || unavailableServices.contains(service);
  }

  /** Stops (or restarts) answering heartbeats, keeping the streams open: a hung service. */
  public void healthSilent(boolean silent) {
    this.healthSilent = silent;
  }

  boolean healthSilent() {
    return healthSilent;
  }

  /**
   * Whether the command stream's response headers go out as soon as it is accepted (default) or
   * only with the first command, as a plain grpc-java service does.
   */
  public void commandHeadersAtOnce(boolean atOnce) {
    this.commandHeadersAtOnce = atOnce;
  }

  boolean commandHeadersAtOnce() {
    return commandHeadersAtOnce;
  }

  /**
   * Holds every call to {@code service} this long before verifying it, like a slow network: a call
   * signed before a key switch then reaches verification after it.
   */
  public void verificationDelay(String service, Duration delay) {
    verificationDelays.put(service, delay);
  }

  Duration verificationDelay(String service) {
    return verificationDelays.getOrDefault(service, Duration.ZERO);
  }

  /** Answers each heartbeat this late. */
  public void healthDelay(Duration delay) {
    this.healthDelay = delay;
  }

  Duration healthDelay() {
    return healthDelay;
  }

  /** Closes every open stream with UNAVAILABLE, as a restarting service would. */
  public void dropStreams() {
    Status dropped = Status.UNAVAILABLE.withDescription("dropped by the test");
    for (var stream : List.copyOf(commandStreams.values())) {
      closeQuietly(stream, dropped);
    }
    commandStreams.clear();
    for (var stream : List.copyOf(heartbeatStreams)) {
      closeQuietly(stream, dropped);
    }
    heartbeatStreams.clear();
    permissions.dropStreams();
  }

  /** The permission-service: its rules, its check streams. */
  public FakePermissionService permissions() {
    return permissions;
  }

  /** Stores a command for a bot and sends it at once if its stream is open. */
  public FakeCommand send(String agentId, String type, Map<String, Object> payload) {
    return send(agentId, type, payload, Instant.now().plus(Duration.ofHours(1)), false);
  }

  /** Stores a command with an expiry and a priority (emergency stops jump the queue). */
  public FakeCommand send(
      String agentId,
      String type,
      Map<String, Object> payload,
      Instant expireTime,
      boolean priority) {
    long sequence = sequences.computeIfAbsent(agentId, a -> new AtomicLong()).incrementAndGet();
    FakeCommand command =
        new FakeCommand(
            UUID.randomUUID().toString(), sequence, type, struct(payload), expireTime, priority);
    commands.computeIfAbsent(agentId, a -> new CopyOnWriteArrayList<>()).add(command);
    var stream = commandStreams.get(agentId);
    if (stream != null) {
      deliver(stream, command);
    }
    return command;
  }

  /** Begins a key rotation of a bot (fleet-service's BeginKeyRotation); returns the rotation id. */
  public String beginRotation(String agentId) {
    FakeIdentity identity = identity(agentId);
    synchronized (identity) {
      identity.rotationId = UUID.randomUUID().toString();
      identity.rotationTo = 0;
      return identity.rotationId;
    }
  }

  /** Revokes a bot: none of its keys verifies any more, and its streams are closed. */
  public void revoke(String agentId) {
    keys.revoke(agentId, revision.incrementAndGet());
    var stream = commandStreams.remove(agentId);
    if (stream != null) {
      closeQuietly(stream, Status.UNAUTHENTICATED.withDescription("identity revoked"));
    }
  }

  // ---- what it saw ----

  /** Every call with its verdict. */
  public List<CallRecord> calls() {
    return List.copyOf(calls);
  }

  /** Calls whose signature was refused. */
  public List<CallRecord> refusals() {
    return calls.stream().filter(call -> !call.verified()).toList();
  }

  /** The bot's heartbeats, in arrival order. */
  public List<Heartbeat> heartbeats(String agentId) {
    return List.copyOf(heartbeats.getOrDefault(agentId, List.of()));
  }

  /** How many bots have sent at least one heartbeat. */
  public int heartbeatingBots() {
    return heartbeats.size();
  }

  /** Heartbeats received from every bot so far. */
  public long heartbeatCount() {
    return heartbeats.values().stream().mapToLong(List::size).sum();
  }

  /** The bot's booked fills. */
  public List<Fill> fills(String agentId) {
    return List.copyOf(fills.getOrDefault(agentId, Map.of()).values());
  }

  /** The bot's commands, in sequence order. */
  public List<FakeCommand> commands(String agentId) {
    return List.copyOf(commands.getOrDefault(agentId, List.of()));
  }

  /** True while the bot's command stream is open. */
  public boolean commandStreamOpen(String agentId) {
    return commandStreams.containsKey(agentId);
  }

  /** Agent id of the identity enrolled as {@code name}, or null. */
  public String agentIdOf(String name) {
    return identities.values().stream()
        .filter(identity -> identity.name.equals(name))
        .map(identity -> identity.agentId)
        .findFirst()
        .orElse(null);
  }

  /** Every enrolled bot: name → agent id. */
  public Map<String, String> agentIds() {
    Map<String, String> ids = new java.util.HashMap<>();
    identities.values().forEach(identity -> ids.put(identity.name, identity.agentId));
    return ids;
  }

  /** The identity's key versions: version → status name (CURRENT, NEXT, RETIRED). */
  public Map<Integer, String> keyVersions(String agentId) {
    FakeIdentity identity = identity(agentId);
    synchronized (identity) {
      Map<Integer, String> versions = new TreeMap<>();
      identity.versions.forEach((version, key) -> versions.put(version, key.state().name()));
      return versions;
    }
  }

  /** The identity's public key of a version. */
  public VerifyingKey publicKey(String agentId, int version) {
    FakeIdentity identity = identity(agentId);
    synchronized (identity) {
      return identity.versions.get(version).key();
    }
  }

  // ---- for the fake services ----

  FakeIdentity identity(String agentId) {
    FakeIdentity identity = identities.get(agentId);
    if (identity == null) {
      throw new IllegalArgumentException("no identity " + agentId);
    }
    return identity;
  }

  FakeIdentity enroll(String name, VerifyingKey key) {
    byte[] raw = new byte[8];
    RANDOM.nextBytes(raw);
    FakeIdentity identity = new FakeIdentity("bot-" + HexFormat.of().formatHex(raw), name);
    identity.putKey(1, key, KeyState.CURRENT);
    identities.put(identity.agentId, identity);
    publish(identity, 1);
    return identity;
  }

  void publish(FakeIdentity identity, int version) {
    FakeIdentity.Version key = identity.versions.get(version);
    keys.upsert(
        new CachedKey(
            new Principal(
                identity.agentId,
                PrincipalKind.PRINCIPAL_KIND_BOT,
                OperatorRole.OPERATOR_ROLE_UNSPECIFIED,
                identity.name),
            version,
            key.key(),
            key.state()),
        revision.incrementAndGet());
  }

  void commandStreamOpened(String agentId, ServerCallStreamObserver<StreamCommandsResponse> s) {
    var previous = commandStreams.put(agentId, s);
    if (previous != null && previous != s) {
      closeQuietly(previous, Status.UNAVAILABLE.withDescription("replaced by a newer stream"));
    }
    List<FakeCommand> pending = new ArrayList<>(commands.getOrDefault(agentId, List.of()));
    pending.removeIf(FakeCommand::settled);
    pending.removeIf(c -> c.expireTime != null && c.expireTime.isBefore(Instant.now()));
    pending.sort(
        Comparator.comparing((FakeCommand c) -> !c.priority).thenComparingLong(c -> c.sequence));
    pending.forEach(command -> deliver(s, command));
  }

  void commandStreamClosed(String agentId, ServerCallStreamObserver<StreamCommandsResponse> s) {
    commandStreams.remove(agentId, s);
  }

  void deliver(ServerCallStreamObserver<StreamCommandsResponse> stream, FakeCommand command) {
    command.deliveries++;
    synchronized (stream) {
      try {
        stream.onNext(StreamCommandsResponse.newBuilder().setCommand(command.toProto()).build());
      } catch (RuntimeException closed) {
        // The stream ended meanwhile; the command stays pending.
      }
    }
  }

  static <T> void closeQuietly(ServerCallStreamObserver<T> stream, Status status) {
    synchronized (stream) {
      try {
        stream.onError(status.asRuntimeException());
      } catch (RuntimeException ignored) {
        // already closed
      }
    }
  }

  /** A map of plain values as a protobuf Struct. */
  public static Struct struct(Map<String, Object> map) {
    Struct.Builder struct = Struct.newBuilder();
    map.forEach((key, value) -> struct.putFields(key, value(value)));
    return struct.build();
  }

  private static Value value(Object value) {
    if (value instanceof Number number) {
      return Value.newBuilder().setNumberValue(number.doubleValue()).build();
    }
    if (value instanceof Boolean bool) {
      return Value.newBuilder().setBoolValue(bool).build();
    }
    if (value instanceof List<?> list) {
      ListValue.Builder values = ListValue.newBuilder();
      list.forEach(item -> values.addValues(value(item)));
      return Value.newBuilder().setListValue(values).build();
    }
    return Value.newBuilder().setStringValue(String.valueOf(value)).build();
  }
}
