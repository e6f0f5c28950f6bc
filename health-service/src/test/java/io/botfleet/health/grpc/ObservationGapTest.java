package io.botfleet.health.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.PostgresTestResource;
import io.botfleet.devkit.TestPrincipal;
import io.botfleet.health.domain.SlaMeasurement.Span;
import io.botfleet.health.persistence.ObservationRepository;
import io.botfleet.health.service.ObserverClock;
import io.botfleet.health.service.PinnedSlaClock;
import io.botfleet.health.v1.GetSlaComplianceResponse;
import io.botfleet.health.v1.HealthEventType;
import io.botfleet.health.v1.SlaSeverity;
import io.botfleet.health.v1.SlaStatus;
import io.botfleet.health.v1.SlaWindow;
import io.botfleet.health.v1.WatchHealthRequest;
import io.botfleet.health.v1.WatchHealthResponse;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Time health-service was not observing (it was down, or a mass silence) is neither up nor down:
 * the observer clock records outages once, and SLA checks leave them out.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
class ObservationGapTest extends SlaTestSupport {

  @Inject ObserverClock observer;
  @Inject ObservationRepository observations;

  /** Gaps and mass-silence alerts a test made: other SLA tests measure the same days. */
  private final List<Instant> gapStarts = new ArrayList<>();

  private final List<UUID> silences = new ArrayList<>();

  @AfterEach
  void cleanUp() {
    PinnedSlaClock.pin(null);
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              for (Instant start : gapStarts) {
                entityManager
                    .createNativeQuery("delete from observation_gaps where started_at = :at")
                    .setParameter("at", utc(start))
                    .executeUpdate();
              }
              for (UUID id : silences) {
                entityManager
                    .createNativeQuery("delete from alerts where id = :id")
                    .setParameter("id", id)
                    .executeUpdate();
              }
            });
  }

  @Test
  void anOutageIsRecordedOnceThoughTwoReplicasRefreshTogether() throws Exception {
    // The last refresh before an outage of 3 hours (every replica gone; the tests' threshold is
    // 2 h, and this replica's own refresh runs hourly, so only these calls refresh).
    Instant lastSeen = setClockBack(Duration.ofHours(3));

    // Two replicas come back at once and refresh together.
    ExecutorService replicas = Executors.newFixedThreadPool(2);
    List<Optional<Span>> recorded = new ArrayList<>();
    Instant before = Instant.now();
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Optional<Span>>> refreshes = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        refreshes.add(
            replicas.submit(
                () -> {
                  go.await();
                  return observer.refresh(Instant.now());
                }));
      }
      go.countDown();
      for (Future<Optional<Span>> f : refreshes) {
        recorded.add(f.get(30, TimeUnit.SECONDS));
      }
    } finally {
      replicas.shutdownNow();
    }
    Instant after = Instant.now();

    // One gap, from the last refresh to the first one back; the other replica found the clock
    // fresh.
    List<Span> gaps = gapsSince(lastSeen);
    assertThat(gaps).hasSize(1);
    Span gap = gaps.get(0);
    assertThat(gap.start()).isEqualTo(lastSeen);
    assertThat(gap.end()).isBetween(before.truncatedTo(ChronoUnit.MICROS), after);
    assertThat(recorded).filteredOn(Optional::isPresent).containsExactly(Optional.of(gap));
    // A further refresh finds the clock fresh: nothing more.
    assertThat(observer.refresh(Instant.now())).isEmpty();
    assertThat(gapsSince(lastSeen)).hasSize(1);
  }

  @Test
  void aCheckRecordsAnOutageThatJustEndedBeforeJudging() {
    Instant lastSeen = setClockBack(Duration.ofHours(2).plusMinutes(5));

    monitor.checkAll();

    assertThat(gapsSince(lastSeen))
        .singleElement()
        .satisfies(g -> assertThat(g.start()).isEqualTo(lastSeen));
  }

  /** Sets the observer clock back as if every replica had been gone for {@code outage}. */
  private Instant setClockBack(Duration outage) {
    Instant lastSeen = Instant.now().minus(outage).truncatedTo(ChronoUnit.MILLIS);
    gapStarts.add(lastSeen);
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                entityManager
                    .createNativeQuery("update observer_clock set last_seen_at = :at")
                    .setParameter("at", utc(lastSeen))
                    .executeUpdate());
    return lastSeen;
  }

  @Test
  void botsThatHeartbeatedAroundAnOutageAreNotBreachedNorPausedButASilentOneStillIs() {
    String group = unique("outage");
    setGroupTargets(group, targets(99.5, 5, 10, 500));
    TestPrincipal before = trackedBot(group);
    TestPrincipal partitioned = trackedBot(group);
    TestPrincipal silent = trackedBot(group);
    for (TestPrincipal b : List.of(before, partitioned, silent)) {
      trackedSince(b.agentId(), YESTERDAY.minusSeconds(86_400));
      heartbeats(b.agentId(), YESTERDAY, TODAY, 30, 45, 1.0, 40);
      // health-service was down 10:00-10:20: no bot's heartbeat was received (last 09:59:30).
      silence(b.agentId(), YESTERDAY.plusSeconds(9 * 3600 + 59 * 60 + 30), 1230);
    }
    // partitioned was cut off in a mass silence 14:00-14:30 (last heartbeat 14:00:00).
    silence(partitioned.agentId(), YESTERDAY.plusSeconds(14 * 3600), 1800);
    // silent was down on its own 08:00-08:30 (alive to 08:02): 28 min, critical (10.8 allowed).
    silence(silent.agentId(), YESTERDAY.plusSeconds(8 * 3600), 1800);
    rollUp(YESTERDAY, TODAY);
    PinnedSlaClock.pin(TODAY);
    // Measured blind, the outage alone makes a bot critical: what used to pause the fleet.
    assertThat(
            compliance(operator(), before.agentId(), SlaWindow.SLA_WINDOW_24H).getViolationsList())
        .singleElement()
        .satisfies(v -> assertThat(v.getSeverity()).isEqualTo(SlaSeverity.SLA_SEVERITY_CRITICAL));

    Instant outage = YESTERDAY.plusSeconds(10 * 3600);
    gapStarts.add(outage);
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                assertThat(
                        observations.recordDowntime(
                            outage, outage.plus(Duration.ofMinutes(20)), "test-replica"))
                    .isTrue());
    massSilence(YESTERDAY.plusSeconds(14 * 3600), YESTERDAY.plusSeconds(14 * 3600 + 1800));

    for (TestPrincipal b : List.of(before, partitioned)) {
      GetSlaComplianceResponse c = compliance(operator(), b.agentId(), SlaWindow.SLA_WINDOW_24H);
      assertThat(c.getStatus()).isEqualTo(SlaStatus.SLA_STATUS_COMPLIANT);
      assertThat(c.getViolationsList()).isEmpty();
      assertThat(c.getMeasured().getUptimePct()).isEqualTo(100.0);
      assertThat(c.getErrorBudget().getConsumedDowntime().getSeconds()).isZero();
    }
    GetSlaComplianceResponse s = compliance(operator(), silent.agentId(), SlaWindow.SLA_WINDOW_24H);
    assertThat(s.getErrorBudget().getConsumedDowntime().getSeconds()).isEqualTo(28 * 60);
    // Its budget is that of the observed 23 h 10 min: the outage and the mass silence are left out.
    assertThat(s.getErrorBudget().getAllowedDowntime().getSeconds()).isEqualTo(417);
    assertThat(s.getMeasured().getUptimePct())
        .isCloseTo(100.0 * (1 - 28.0 / (24 * 60 - 50)), within(1e-4));
    assertThat(s.getViolationsList())
        .singleElement()
        .satisfies(v -> assertThat(v.getSeverity()).isEqualTo(SlaSeverity.SLA_SEVERITY_CRITICAL));

    Watch watch =
        new Watch(
            fleet(),
            channel,
            WatchHealthRequest.newBuilder()
                .addTypes(HealthEventType.HEALTH_EVENT_TYPE_SLA_CRITICAL)
                .addTypes(HealthEventType.HEALTH_EVENT_TYPE_SLA_VIOLATION)
                .build());
    try {
      monitor.checkAll();
      Awaitility.await()
          .untilAsserted(
              () ->
                  assertThat(watch.about(silent.agentId()))
                      .extracting(WatchHealthResponse::getType)
                      .containsExactly(
                          HealthEventType.HEALTH_EVENT_TYPE_SLA_VIOLATION,
                          HealthEventType.HEALTH_EVENT_TYPE_SLA_CRITICAL));
      Awaitility.await()
          .during(Duration.ofMillis(1500))
          .untilAsserted(
              () -> {
                assertThat(watch.about(before.agentId())).isEmpty();
                assertThat(watch.about(partitioned.agentId())).isEmpty();
              });
    } finally {
      watch.close();
    }
    assertThat(openAlerts(before.agentId())).isEmpty();
    assertThat(openAlerts(silent.agentId())).containsExactly("sla_violation:critical");
  }

  /** A mass silence over [from, to), as dead-bot detection records it: its fleet alert. */
  private void massSilence(Instant from, Instant to) {
    UUID id = UUID.randomUUID();
    silences.add(id);
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                entityManager
                    .createNativeQuery(
                        "insert into alerts (id, kind, severity, message, state, raised_at,"
                            + " resolved_at) values (:id, 'mass_silence', 'critical',"
                            + " 'test mass silence', 'resolved', :from, :to)")
                    .setParameter("id", id)
                    .setParameter("from", utc(from))
                    .setParameter("to", utc(to))
                    .executeUpdate());
  }

  /** The recorded outages (not mass silences) starting at {@code start} or later. */
  @SuppressWarnings("unchecked")
  private List<Span> gapsSince(Instant start) {
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                ((List<Object[]>)
                        entityManager
                            .createNativeQuery(
                                "select started_at, ended_at from observation_gaps"
                                    + " where started_at >= :at and reason = 'health_service_down'")
                            .setParameter("at", utc(start))
                            .getResultList())
                    .stream().map(r -> new Span(instant(r[0]), instant(r[1]))).toList());
  }

  private static Instant instant(Object value) {
    return value instanceof java.time.OffsetDateTime o
        ? o.toInstant()
        : value instanceof java.sql.Timestamp t ? t.toInstant() : (Instant) value;
  }
}
