package io.botfleet.health.grpc;

import io.botfleet.devkit.TestPrincipal;
import io.botfleet.health.persistence.StorageRepository;
import io.botfleet.health.service.SlaMonitor;
import io.botfleet.health.v1.GetSlaComplianceRequest;
import io.botfleet.health.v1.GetSlaComplianceResponse;
import io.botfleet.health.v1.SetSlaTargetsRequest;
import io.botfleet.health.v1.SlaTargets;
import io.botfleet.health.v1.SlaWindow;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/** What the SLA tests share: targets, synthetic heartbeat history, rollups, compliance calls. */
abstract class SlaTestSupport extends HealthTestSupport {

  static final Instant TODAY =
      LocalDate.now(ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant();
  static final Instant YESTERDAY = TODAY.minusSeconds(86_400);

  @Inject EntityManager entityManager;
  @Inject StorageRepository storage;
  @Inject SlaMonitor monitor;

  GetSlaComplianceResponse compliance(TestPrincipal caller, String botId, SlaWindow window) {
    return stub(caller)
        .getSlaCompliance(
            GetSlaComplianceRequest.newBuilder().setBotId(botId).setWindow(window).build());
  }

  void setGroupTargets(String group, SlaTargets targets) {
    stub(operator())
        .setSlaTargets(
            SetSlaTargetsRequest.newBuilder().setGroup(group).setTargets(targets).build());
  }

  static SlaTargets targets(double uptime, double drawdown, long trades, double latency) {
    return SlaTargets.newBuilder()
        .setUptimePct(uptime)
        .setMaxDrawdownPct(drawdown)
        .setMinTradesPerDay(trades)
        .setMaxLatencyMs(latency)
        .build();
  }

  void trackedSince(String botId, Instant since) {
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                entityManager
                    .createNativeQuery(
                        "update tracked_bots set tracked_at = :at where bot_id = :id")
                    .setParameter("at", utc(since))
                    .setParameter("id", botId)
                    .executeUpdate());
  }

  /**
   * Raw heartbeats every {@code every} seconds in [from, to); drawdown rises to {@code drawdown}
   * and trade_count to {@code trades} over each day.
   */
  void heartbeats(
      String botId,
      Instant from,
      Instant to,
      int every,
      double latency,
      double drawdown,
      long trades) {
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                entityManager
                    .createNativeQuery(
                        "insert into heartbeats (bot_id, received_at, sequence, heartbeat_time, version,"
                            + " uptime_seconds, latency_ms, pnl_usd, drawdown_pct, trade_count, open_positions,"
                            + " open_orders, memory_mb, cpu_pct, error_count, status)"
                            + " select :id, t, n, t, '2.4.1', n, :latency, 1, :drawdown * f, floor(:trades * f),"
                            + " 1, 1, 500, 10, 0, 'healthy'"
                            + " from generate_series(0, cast(extract(epoch from cast(:to as timestamptz) - cast(:from as timestamptz)) / :every as bigint) - 1) n,"
                            + " lateral (select cast(:from as timestamptz) + n * :every * interval '1 second' t) x,"
                            + " lateral (select least(1.0, (extract(epoch from t - date_trunc('day', t at time zone 'UTC') at time zone 'UTC') + :every) / 86400.0) f) y")
                    .setParameter("id", botId)
                    .setParameter("from", utc(from))
                    .setParameter("to", utc(to))
                    .setParameter("every", every)
                    .setParameter("latency", latency)
                    .setParameter("drawdown", drawdown)
                    .setParameter("trades", trades)
                    .executeUpdate());
  }

  /** Deletes heartbeats received in (after, after + seconds). */
  void silence(String botId, Instant after, double seconds) {
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                entityManager
                    .createNativeQuery(
                        "delete from heartbeats where bot_id = :id and received_at > :from"
                            + " and received_at < cast(:from as timestamptz) + cast(:s as double precision) * interval '1 second'")
                    .setParameter("id", botId)
                    .setParameter("from", utc(after))
                    .setParameter("s", seconds)
                    .executeUpdate());
    if (seconds != Math.rint(seconds)) {
      // The next heartbeat comes at exactly after + seconds.
      QuarkusTransaction.requiringNew()
          .run(
              () ->
                  entityManager
                      .createNativeQuery(
                          "update heartbeats set received_at = cast(:from as timestamptz)"
                              + " + cast(:s as double precision) * interval '1 second'"
                              + " where bot_id = :id and received_at = (select min(received_at) from heartbeats"
                              + " where bot_id = :id and received_at > :from)")
                      .setParameter("id", botId)
                      .setParameter("from", utc(after))
                      .setParameter("s", seconds)
                      .executeUpdate());
    }
  }

  /** Rolls [from, to) up, leaving the rollup position where it was if that was later. */
  void rollUp(Instant from, Instant to) {
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              Instant before = storage.rolledUpTo();
              storage.rollUp(from, to);
              if (before != null && before.isAfter(to)) {
                entityManager
                    .createNativeQuery("update rollup_progress set rolled_upto = :at")
                    .setParameter("at", utc(before))
                    .executeUpdate();
              }
            });
  }

  @SuppressWarnings("unchecked")
  List<String> openAlerts(String botId) {
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                ((List<Object[]>)
                        entityManager
                            .createNativeQuery(
                                "select kind, severity from alerts where bot_id = :id and state = 'open'"
                                    + " and kind like 'sla%'")
                            .setParameter("id", botId)
                            .getResultList())
                    .stream().map(r -> r[0] + ":" + r[1]).toList());
  }

  static OffsetDateTime utc(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
