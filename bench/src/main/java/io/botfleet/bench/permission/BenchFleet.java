package io.botfleet.bench.permission;

import com.google.protobuf.ByteString;
import io.botfleet.common.v1.OperatorRole;
import io.botfleet.common.v1.PrincipalKind;
import io.botfleet.identity.v1.AgentKey;
import io.botfleet.identity.v1.KeyStatus;
import io.botfleet.permission.v1.AssignPermissionsRequest;
import io.botfleet.permission.v1.CheckContext;
import io.botfleet.permission.v1.CheckPermissionRequest;
import io.botfleet.permission.v1.CheckPermissionsRequest;
import io.botfleet.permission.v1.PermissionServiceGrpc;
import io.botfleet.permission.v1.Restrictions;
import io.botfleet.permission.v1.SuspendBotRequest;
import io.botfleet.permission.v1.SuspensionMode;
import io.botfleet.permission.v1.Tier;
import io.botfleet.signing.CanonicalRequest;
import io.botfleet.signing.Credentials;
import io.botfleet.signing.RequestSigner;
import io.botfleet.signing.SignatureHeaders;
import io.botfleet.signing.SigningClientInterceptor;
import io.botfleet.signing.SigningKey;
import io.grpc.Channel;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * The benchmark's fleet: 10,000 bots with their own keys, half spot arbitrage on binance (the
 * guide's spot-arb restrictions), half options market making on deribit (the guide's options-mm
 * restrictions), one in ten paused; svc-fleet to assign them. Each bot's check requests are built
 * once; what a call costs is signing (by the client) and verifying and deciding (by the service).
 */
final class BenchFleet {

  static final String CHECK = PermissionServiceGrpc.getCheckPermissionMethod().getFullMethodName();
  static final String CHECK_BATCH =
      PermissionServiceGrpc.getCheckPermissionsMethod().getFullMethodName();

  private static final Restrictions SPOT_ARB =
      Restrictions.newBuilder()
          .setMaxOrderSizeUsd("5000")
          .addAllAllowedPairs(List.of("BTC/USDT", "ETH/USDT", "SOL/USDT"))
          .build();
  private static final Restrictions OPTIONS_MM =
      Restrictions.newBuilder()
          .setMaxOrderSizeUsd("25000")
          .addAllAllowedInstruments(List.of("BTC-*-C", "BTC-*-P", "ETH-*-C", "ETH-*-P"))
          .setMaxDeltaExposure("0.5")
          .build();

  /** One bot: its credentials and its prepared request bodies. */
  record Bot(
      Credentials credentials,
      boolean options,
      List<byte[]> checks,
      List<String> checkHashes,
      byte[] batch,
      String batchHash) {
    String agentId() {
      return credentials.agentId();
    }
  }

  /** A request signed ahead: the body (shared) and its headers. */
  record Signed(byte[] body, SignatureHeaders headers) {}

  final List<Bot> bots;
  final Credentials fleetService = new Credentials("svc-fleet", 1, SigningKey.generate());

  private BenchFleet(List<Bot> bots) {
    this.bots = bots;
  }

  static BenchFleet generate(int count, int batchSize) {
    List<Bot> bots =
        IntStream.range(0, count)
            .parallel()
            .mapToObj(i -> bot(i, batchSize))
            .collect(ArrayList::new, List::add, List::addAll);
    return new BenchFleet(List.copyOf(bots));
  }

  private static Bot bot(int i, int batchSize) {
    String agentId = String.format("bot-bench%011d", i);
    boolean options = i % 2 == 1;
    List<CheckPermissionRequest> checks = checksFor(agentId, options);
    CheckPermissionsRequest.Builder batch = CheckPermissionsRequest.newBuilder();
    for (int k = 0; k < batchSize; k++) {
      batch.addChecks(checks.get(k % checks.size()));
    }
    byte[] batchBody = batch.build().toByteArray();
    List<byte[]> bodies = checks.stream().map(CheckPermissionRequest::toByteArray).toList();
    return new Bot(
        new Credentials(agentId, 1, SigningKey.generate()),
        options,
        bodies,
        bodies.stream().map(CanonicalRequest::sha256Hex).toList(),
        batchBody,
        CanonicalRequest.sha256Hex(batchBody));
  }

  /** A realistic mix: orders within and beyond the limits, a read, a cancel. */
  private static List<CheckPermissionRequest> checksFor(String agentId, boolean options) {
    CheckContext.Builder order =
        options
            ? CheckContext.newBuilder()
                .setExchange("deribit")
                .setInstrument("BTC-27DEC26-100000-C")
                .setOrderSizeUsd("2000")
                .setDeltaAfter("0.2")
            : CheckContext.newBuilder()
                .setExchange("binance")
                .setPair("BTC/USDT")
                .setOrderSizeUsd("1000");
    CheckContext tooLarge =
        options
            ? order.clone().setDeltaAfter("0.8").build()
            : order.clone().setOrderSizeUsd("6000").build();
    return List.of(
        check(agentId, "place_order", order.build()),
        check(agentId, "place_order", tooLarge),
        check(agentId, "read_positions", CheckContext.getDefaultInstance()),
        check(agentId, "cancel_order", CheckContext.getDefaultInstance()));
  }

  private static CheckPermissionRequest check(String agentId, String action, CheckContext c) {
    return CheckPermissionRequest.newBuilder()
        .setAgentId(agentId)
        .setAction(action)
        .setContext(c)
        .build();
  }

  /** The keys identity-service would feed: every bot's and svc-fleet's. */
  List<AgentKey> agentKeys() {
    List<AgentKey> keys = new ArrayList<>();
    for (Bot bot : bots) {
      keys.add(key(bot.credentials(), PrincipalKind.PRINCIPAL_KIND_BOT, bot.agentId()));
    }
    keys.add(key(fleetService, PrincipalKind.PRINCIPAL_KIND_SERVICE, "fleet"));
    return keys;
  }

  private static AgentKey key(Credentials credentials, PrincipalKind kind, String name) {
    return AgentKey.newBuilder()
        .setAgentId(credentials.agentId())
        .setKind(kind)
        .setOperatorRole(OperatorRole.OPERATOR_ROLE_UNSPECIFIED)
        .setName(name)
        .setKeyVersion(credentials.keyVersion())
        .setPublicKey(ByteString.copyFrom(credentials.key().publicKey().raw()))
        .setStatus(KeyStatus.KEY_STATUS_CURRENT)
        .build();
  }

  /** Assigns every bot as svc-fleet (16 calls in flight) and pauses one bot in ten in one call. */
  void assignAll(Channel channel) throws InterruptedException {
    var stub =
        PermissionServiceGrpc.newStub(channel)
            .withInterceptors(new SigningClientInterceptor(new RequestSigner(() -> fleetService)));
    Semaphore inFlight = new Semaphore(16);
    List<CompletableFuture<Void>> done = new ArrayList<>();
    for (Bot bot : bots) {
      inFlight.acquire();
      CompletableFuture<Void> future = new CompletableFuture<>();
      done.add(future);
      stub.withDeadlineAfter(30, TimeUnit.SECONDS)
          .assignPermissions(
              AssignPermissionsRequest.newBuilder()
                  .setAgentId(bot.agentId())
                  .setBotName(bot.agentId())
                  .setGroup(bot.options() ? "options-mm" : "spot-arb")
                  .setExchange(bot.options() ? "deribit" : "binance")
                  .setTier(Tier.TIER_TRADE)
                  .setRestrictions(bot.options() ? OPTIONS_MM : SPOT_ARB)
                  .build(),
              new StreamObserver<>() {
                @Override
                public void onNext(io.botfleet.permission.v1.AssignPermissionsResponse value) {}

                @Override
                public void onError(Throwable t) {
                  inFlight.release();
                  future.completeExceptionally(t);
                }

                @Override
                public void onCompleted() {
                  inFlight.release();
                  future.complete(null);
                }
              });
    }
    CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).join();
    var paused =
        io.botfleet.permission.v1.PermissionServiceGrpc.newBlockingStub(channel)
            .withInterceptors(new SigningClientInterceptor(new RequestSigner(() -> fleetService)))
            .suspendBot(
                SuspendBotRequest.newBuilder()
                    .addAllAgentIds(
                        IntStream.range(0, bots.size())
                            .filter(i -> i % 10 == 0)
                            .mapToObj(i -> bots.get(i).agentId())
                            .toList())
                    .setMode(SuspensionMode.SUSPENSION_MODE_PAUSED)
                    .setReason("benchmark: one bot in ten paused")
                    .build());
    if (paused.getSuspendedCount() != (bots.size() + 9) / 10) {
      throw new IllegalStateException("paused " + paused.getSuspendedCount() + " bots");
    }
  }

  /** A random bot. */
  Bot anyBot() {
    return bots.get(ThreadLocalRandom.current().nextInt(bots.size()));
  }

  /** Signs {@code count} single checks of random bots ahead, on every core. */
  List<Signed> presignChecks(int count) {
    return IntStream.range(0, count)
        .parallel()
        .mapToObj(
            i -> {
              Bot bot = anyBot();
              int k = ThreadLocalRandom.current().nextInt(bot.checks().size());
              return new Signed(
                  bot.checks().get(k),
                  new RequestSigner(bot::credentials)
                      .sign(CHECK, bot.checkHashes().get(k), System.currentTimeMillis(), nonce()));
            })
        .collect(ArrayList::new, List::add, List::addAll);
  }

  /** Signs {@code count} batches of random bots ahead, on every core. */
  List<Signed> presignBatches(int count) {
    return IntStream.range(0, count)
        .parallel()
        .mapToObj(
            i -> {
              Bot bot = anyBot();
              return new Signed(
                  bot.batch(),
                  new RequestSigner(bot::credentials)
                      .sign(CHECK_BATCH, bot.batchHash(), System.currentTimeMillis(), nonce()));
            })
        .collect(ArrayList::new, List::add, List::addAll);
  }

  /** Signs a single check of a random bot now, as a bot does before each call. */
  Signed signCheckNow() {
    Bot bot = anyBot();
    byte[] body = bot.checks().get(ThreadLocalRandom.current().nextInt(bot.checks().size()));
    return new Signed(body, new RequestSigner(bot::credentials).sign(CHECK, body));
  }

  /** Signs a batch of a random bot now. */
  Signed signBatchNow() {
    Bot bot = anyBot();
    return new Signed(
        bot.batch(), new RequestSigner(bot::credentials).sign(CHECK_BATCH, bot.batch()));
  }

  private static String nonce() {
    return RequestSigner.newNonce();
  }
}
