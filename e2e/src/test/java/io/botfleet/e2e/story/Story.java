package io.botfleet.e2e.story;

import io.botfleet.e2e.RunningFleet;
import io.botfleet.fleet.v1.Bot;
import io.botfleet.fleet.v1.FleetServiceGrpc;
import io.botfleet.fleet.v1.GetBotRequest;
import io.botfleet.fleet.v1.InitFleetRequest;
import io.botfleet.health.v1.FleetHealthServiceGrpc;
import io.botfleet.identity.v1.IdentityServiceGrpc;
import io.botfleet.permission.v1.PermissionServiceGrpc;
import io.botfleet.sim.GuideFleet;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What the story tests share in one JVM: the running services, their first administrator, an
 * initialized fleet, and the guide's fleet registered and running as SDK bots (started on first
 * use, left running until the JVM ends so that no test sees the others' bots fall silent).
 */
final class Story {

  static final String ORGANIZATION = "e2e";

  private static Story instance;

  final RunningFleet fleet = RunningFleet.get();
  final Map<String, ManagedChannel> channels = new LinkedHashMap<>();
  private Map<String, E2eBot> guideBots;

  private Story() {
    for (String service : RunningFleet.SERVICES) {
      channels.put(service, fleet.channel(service));
    }
    // A new administrator's key reaches fleet-service through the key feed within moments.
    await(
        "fleet-service knows the administrator and the fleet is initialized",
        Duration.ofSeconds(20),
        () -> {
          try {
            fleetStub()
                .initFleet(InitFleetRequest.newBuilder().setOrganization(ORGANIZATION).build());
            return true;
          } catch (StatusRuntimeException e) {
            switch (e.getStatus().getCode()) {
              case UNAUTHENTICATED:
                return false;
              case FAILED_PRECONDITION:
                // Another suite of this JVM initialized the fleet under its own organization: one
                // fleet per installation, and it is the one these tests use.
                return true;
              default:
                throw e;
            }
          }
        });
  }

  static synchronized Story get() {
    if (instance == null) {
      instance = new Story();
    }
    return instance;
  }

  /** A channel to a service with every call signed by the administrator. */
  Channel asAdmin(String service) {
    return fleet.admin().sign(channels.get(service));
  }

  FleetServiceGrpc.FleetServiceBlockingStub fleetStub() {
    return FleetServiceGrpc.newBlockingStub(asAdmin("fleet"))
        .withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  FleetHealthServiceGrpc.FleetHealthServiceBlockingStub healthStub() {
    return FleetHealthServiceGrpc.newBlockingStub(asAdmin("health"))
        .withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  PermissionServiceGrpc.PermissionServiceBlockingStub permissionStub() {
    return PermissionServiceGrpc.newBlockingStub(asAdmin("permission"))
        .withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  IdentityServiceGrpc.IdentityServiceBlockingStub identityStub() {
    return IdentityServiceGrpc.newBlockingStub(asAdmin("identity"))
        .withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  /** A bot as fleet-service has it. */
  Bot bot(String name) {
    return fleetStub().getBot(GetBotRequest.newBuilder().setName(name).build()).getBot();
  }

  /**
   * The guide's 12 bots and the spot-arb standby, registered through RegisterBot (TRADE tier, the
   * guide's restrictions) and running, by name.
   */
  synchronized Map<String, E2eBot> guideFleet() throws Exception {
    if (guideBots == null) {
      GuideFleet guide = new GuideFleet(asAdmin("fleet"), asAdmin("identity"));
      Map<String, E2eBot> bots = new LinkedHashMap<>();
      for (var profile : GuideFleet.profiles()) {
        GuideFleet.Registered registered = guide.register(profile);
        bots.put(
            profile.name(),
            E2eBot.start(
                fleet,
                profile.name(),
                registered.token(),
                profile.standby(),
                Duration.ofSeconds(2)));
      }
      guideBots = bots;
    }
    return guideBots;
  }

  /**
   * Polls {@code condition} every 100 ms until it holds; fails with {@code what} after the
   * deadline.
   */
  static void await(String what, Duration deadline, BooleanSupplier condition) {
    long end = System.nanoTime() + deadline.toNanos();
    RuntimeException last = null;
    while (System.nanoTime() < end) {
      try {
        if (condition.getAsBoolean()) {
          return;
        }
        last = null;
      } catch (StatusRuntimeException e) {
        last = e; // a service restarting: keep polling until the deadline
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
    }
    throw new AssertionError("not within " + deadline.toMillis() + " ms: " + what, last);
  }

  /** The value once {@code condition} holds of it (polled as {@link #await}). */
  static <T> T awaitValue(
      String what,
      Duration deadline,
      Supplier<T> value,
      java.util.function.Predicate<T> condition) {
    Object[] seen = new Object[1];
    await(
        what,
        deadline,
        () -> {
          T v = value.get();
          seen[0] = v;
          return condition.test(v);
        });
    @SuppressWarnings("unchecked")
    T result = (T) seen[0];
    return result;
  }
}
