package io.botfleet.health.persistence;

import io.botfleet.health.domain.BurnRateAlert;
import io.botfleet.health.domain.SlaBot;
import io.botfleet.health.domain.SlaMinute;
import io.botfleet.health.domain.SlaSeverity;
import io.botfleet.health.domain.SlaState;
import io.botfleet.health.domain.SlaTargets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/** SLA targets, escalation states, and the heartbeat minutes SLA is measured from. */
@ApplicationScoped
public class SlaRepository {

  private static final String BOT_TARGETS =
      "select t.bot_id, t.bot_name, t.bot_group, t.tracked_at, t.untracked_at,"
          + " coalesce(b.uptime_pct, g.uptime_pct), coalesce(b.max_drawdown_pct,"
          + " g.max_drawdown_pct), coalesce(b.min_trades_per_day, g.min_trades_per_day),"
          + " coalesce(b.max_latency_ms, g.max_latency_ms), b.subject is not null"
          + " from tracked_bots t"
          + " left join sla_targets b on b.subject_kind = 'bot' and b.subject = t.bot_id"
          + " left join sla_targets g on g.subject_kind = 'group' and g.subject = t.bot_group";

  @Inject EntityManager entityManager;

  /** Stores the targets of a bot ({@code bot} true) or a group. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void save(boolean bot, String subject, SlaTargets t, Instant at, String by) {
    entityManager
        .createNativeQuery(
            "insert into sla_targets (subject_kind, subject, uptime_pct, max_drawdown_pct,"
                + " min_trades_per_day, max_latency_ms, updated_at, updated_by)"
                + " values (:kind, :subject, :uptime, :drawdown, :trades, :latency, :at, :by)"
                + " on conflict (subject_kind, subject) do update set uptime_pct ="
                + " excluded.uptime_pct, max_drawdown_pct = excluded.max_drawdown_pct,"
                + " min_trades_per_day = excluded.min_trades_per_day, max_latency_ms ="
                + " excluded.max_latency_ms, updated_at = excluded.updated_at,"
                + " updated_by = excluded.updated_by")
        .setParameter("kind", bot ? "bot" : "group")
        .setParameter("subject", subject)
        .setParameter("uptime", t.uptimePct())
        .setParameter("drawdown", t.maxDrawdownPct())
        .setParameter("trades", t.minTradesPerDay())
        .setParameter("latency", t.maxLatencyMs())
        .setParameter("at", StorageRepository.utc(at))
        .setParameter("by", by)
        .executeUpdate();
  }

  /** A bot with its applicable targets, if it was ever tracked. */
  @Transactional
  @SuppressWarnings("unchecked")
  public Optional<SlaBot> bot(String botId) {
    List<Object[]> rows =
        entityManager
            .createNativeQuery(BOT_TARGETS + " where t.bot_id = :id")
            .setParameter("id", botId)
            .getResultList();
    return rows.stream().findFirst().map(SlaRepository::toSlaBot);
  }

  /**
   * Every tracked bot with targets, but dormant standbys: they send no heartbeats by design, so
   * checking them would only raise false alarms.
   */
  @Transactional
  @SuppressWarnings("unchecked")
  public List<SlaBot> trackedWithTargets() {
    List<Object[]> rows =
        entityManager
            .createNativeQuery(
                BOT_TARGETS
                    + " where t.untracked_at is null and not t.standby"
                    + " and coalesce(b.subject, g.subject) is not null"
                    + " order by t.bot_id")
            .getResultList();
    return rows.stream().map(SlaRepository::toSlaBot).toList();
  }

  /** Every bot with targets tracked at some time in [from, to), by name. */
  @Transactional
  @SuppressWarnings("unchecked")
  public List<SlaBot> withTargetsDuring(Instant from, Instant to) {
    List<Object[]> rows =
        entityManager
            .createNativeQuery(
                BOT_TARGETS
                    + " where coalesce(b.subject, g.subject) is not null and t.tracked_at < :to"
                    + " and (t.untracked_at is null or t.untracked_at > :from)"
                    + " order by t.bot_name, t.bot_id")
            .setParameter("from", StorageRepository.utc(from))
            .setParameter("to", StorageRepository.utc(to))
            .getResultList();
    return rows.stream().map(SlaRepository::toSlaBot).toList();
  }

  /** The tracked bots of a group without targets of their own. */
  @Transactional(Transactional.TxType.MANDATORY)
  @SuppressWarnings("unchecked")
  public List<String> groupMembersWithoutOwnTargets(String group) {
    return entityManager
        .createNativeQuery(
            "select t.bot_id from tracked_bots t where t.bot_group = :group"
                + " and t.untracked_at is null and not exists (select 1 from sla_targets b"
                + " where b.subject_kind = 'bot' and b.subject = t.bot_id) order by t.bot_id")
        .setParameter("group", group)
        .getResultList();
  }

  /**
   * A bot's heartbeat minutes in [from, to), oldest first: the minute rollups where they are rolled
   * up, the raw heartbeats aggregated the same way after that (so a check is current to the second,
   * not to the rollup lag).
   */
  @Transactional
  @SuppressWarnings("unchecked")
  public List<SlaMinute> minutes(String botId, Instant from, Instant to) {
    List<Object[]> rows =
        entityManager
            .createNativeQuery(
                "with p as (select coalesce((select rolled_upto from rollup_progress),"
                    + " '-infinity'::timestamptz) r)"
                    + " select m.minute, m.first_at, m.last_at,"
                    + " array_to_string(m.latency_buckets, ','), m.latency_max, m.drawdown_max,"
                    + " m.trade_count_last from heartbeat_minutes m, p where m.bot_id = :bot"
                    + " and m.minute >= :from and m.minute < :to and m.minute < p.r"
                    + " union all"
                    + " select date_trunc('minute', h.received_at), min(h.received_at),"
                    + " max(h.received_at), array_to_string("
                    + StorageRepository.latencyBuckets()
                    + ", ','), max(h.latency_ms), max(h.drawdown_pct),"
                    + " (array_agg(h.trade_count order by h.received_at desc))[1]"
                    + " from heartbeats h, p where h.bot_id = :bot"
                    + " and h.received_at >= greatest(cast(:from as timestamptz), p.r)"
                    + " and h.received_at < :to group by 1 order by 1")
            .setParameter("bot", botId)
            .setParameter("from", StorageRepository.utc(from))
            .setParameter("to", StorageRepository.utc(to))
            .getResultList();
    List<SlaMinute> minutes = new ArrayList<>(rows.size());
    for (Object[] r : rows) {
      String[] parts = ((String) r[3]).split(",");
      int[] buckets = new int[parts.length];
      for (int i = 0; i < parts.length; i++) {
        buckets[i] = parts[i].isEmpty() ? 0 : Integer.parseInt(parts[i]);
      }
      minutes.add(
          new SlaMinute(
              BotRepository.instant(r[0]),
              BotRepository.instant(r[1]),
              BotRepository.instant(r[2]),
              buckets,
              ((Number) r[4]).doubleValue(),
              ((Number) r[5]).doubleValue(),
              ((Number) r[6]).longValue()));
    }
    return minutes;
  }

  /** A bot's escalation state (initial if never checked). */
  @Transactional
  @SuppressWarnings("unchecked")
  public SlaState state(String botId) {
    List<Object[]> rows =
        entityManager
            .createNativeQuery(
                "select level, findings, burn, alert_id, burn_alert_id, checked_at,"
                    + " reliability_score, reliability_at, mirrored_on from sla_states"
                    + " where bot_id = :id")
            .setParameter("id", botId)
            .getResultList();
    if (rows.isEmpty()) {
      return SlaState.initial(botId);
    }
    Object[] r = rows.get(0);
    Object mirrored = r[8];
    return new SlaState(
        botId,
        "none".equals(r[0]) ? null : SlaSeverity.valueOf(((String) r[0]).toUpperCase(Locale.ROOT)),
        BotRepository.strings(r[1]),
        BurnRateAlert.valueOf(((String) r[2]).toUpperCase(Locale.ROOT)),
        (UUID) r[3],
        (UUID) r[4],
        BotRepository.instant(r[5]),
        r[6] == null ? null : ((Number) r[6]).doubleValue(),
        BotRepository.instant(r[7]),
        mirrored == null
            ? null
            : mirrored instanceof LocalDate d ? d : ((java.sql.Date) mirrored).toLocalDate());
  }

  /** Stores a bot's escalation state (its reliability score only if it has no row yet). */
  @Transactional(Transactional.TxType.MANDATORY)
  public void save(SlaState s) {
    entityManager
        .createNativeQuery(
            "insert into sla_states (bot_id, level, findings, burn, alert_id, burn_alert_id,"
                + " checked_at, reliability_score, reliability_at, mirrored_on)"
                + " values (:id, :level, cast(:findings as text[]), :burn, cast(:alert as uuid),"
                + " cast(:burnAlert as uuid), :checked, :score, :scoreAt, cast(:mirrored as date))"
                + " on conflict (bot_id) do update set level = excluded.level,"
                + " findings = excluded.findings, burn = excluded.burn,"
                + " alert_id = excluded.alert_id, burn_alert_id = excluded.burn_alert_id,"
                + " checked_at = excluded.checked_at, mirrored_on = excluded.mirrored_on")
        .setParameter("id", s.botId())
        .setParameter(
            "level", s.level() == null ? "none" : s.level().name().toLowerCase(Locale.ROOT))
        .setParameter("findings", textArray(s.findings()))
        .setParameter("burn", s.burn().name().toLowerCase(Locale.ROOT))
        .setParameter("alert", s.alertId() == null ? null : s.alertId().toString())
        .setParameter("burnAlert", s.burnAlertId() == null ? null : s.burnAlertId().toString())
        .setParameter(
            "checked", s.checkedAt() == null ? null : StorageRepository.utc(s.checkedAt()))
        .setParameter("score", s.reliabilityScore())
        .setParameter(
            "scoreAt", s.reliabilityAt() == null ? null : StorageRepository.utc(s.reliabilityAt()))
        .setParameter("mirrored", s.mirroredOn() == null ? null : s.mirroredOn().toString())
        .executeUpdate();
  }

  /** Keeps a bot's reliability score (and nothing else of its state). */
  @Transactional(Transactional.TxType.MANDATORY)
  public void saveReliability(String botId, double score, Instant at) {
    entityManager
        .createNativeQuery(
            "insert into sla_states (bot_id, reliability_score, reliability_at)"
                + " values (:id, :score, :at) on conflict (bot_id) do update set"
                + " reliability_score = excluded.reliability_score,"
                + " reliability_at = excluded.reliability_at")
        .setParameter("id", botId)
        .setParameter("score", score)
        .setParameter("at", StorageRepository.utc(at))
        .executeUpdate();
  }

  /** Keeps GreenHelix's reputation score of a bot (get_agent_reputation's answer). */
  @Transactional(Transactional.TxType.MANDATORY)
  public void saveReputation(String botId, double score, Instant at) {
    entityManager
        .createNativeQuery(
            "insert into sla_states (bot_id, greenhelix_reputation, greenhelix_reputation_at)"
                + " values (:id, :score, :at) on conflict (bot_id) do update set"
                + " greenhelix_reputation = excluded.greenhelix_reputation,"
                + " greenhelix_reputation_at = excluded.greenhelix_reputation_at")
        .setParameter("id", botId)
        .setParameter("score", score)
        .setParameter("at", StorageRepository.utc(at))
        .executeUpdate();
  }

  /** GreenHelix's reputation score of a bot, if it answered one. */
  @Transactional
  @SuppressWarnings("unchecked")
  public Optional<Double> reputation(String botId) {
    List<Object> rows =
        entityManager
            .createNativeQuery(
                "select greenhelix_reputation from sla_states where bot_id = :id"
                    + " and greenhelix_reputation is not null")
            .setParameter("id", botId)
            .getResultList();
    return rows.stream().findFirst().map(v -> ((Number) v).doubleValue());
  }

  /**
   * A bot's SLA violations (sla_violation alerts raised) and incidents (deaths and critical health
   * alerts) in [from, to).
   */
  @Transactional
  public int[] violationsAndIncidents(String botId, Instant from, Instant to) {
    Object[] r =
        (Object[])
            entityManager
                .createNativeQuery(
                    "select count(*) filter (where kind = 'sla_violation'),"
                        + " count(*) filter (where kind = 'dead' or (kind = 'health'"
                        + " and severity = 'critical')) from alerts where bot_id = :id"
                        + " and raised_at >= :from and raised_at < :to")
                .setParameter("id", botId)
                .setParameter("from", StorageRepository.utc(from))
                .setParameter("to", StorageRepository.utc(to))
                .getSingleResult();
    return new int[] {((Number) r[0]).intValue(), ((Number) r[1]).intValue()};
  }

  /** Takes a job's lock for this transaction; false if another replica runs it now. */
  @Transactional(Transactional.TxType.MANDATORY)
  public boolean tryLock(String job) {
    Object locked =
        entityManager
            .createNativeQuery(
                "select pg_try_advisory_xact_lock(hashtext(:job || ':' || current_schema()))")
            .setParameter("job", job)
            .getSingleResult();
    return Boolean.TRUE.equals(locked);
  }

  private static String textArray(List<String> values) {
    StringBuilder out = new StringBuilder("{");
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append('"').append(values.get(i).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
    }
    return out.append('}').toString();
  }

  private static SlaBot toSlaBot(Object[] r) {
    SlaTargets targets =
        r[5] == null
            ? null
            : new SlaTargets(
                ((Number) r[5]).doubleValue(),
                ((Number) r[6]).doubleValue(),
                ((Number) r[7]).longValue(),
                ((Number) r[8]).doubleValue());
    return new SlaBot(
        (String) r[0],
        (String) r[1],
        (String) r[2],
        BotRepository.instant(r[3]),
        BotRepository.instant(r[4]),
        targets,
        Boolean.TRUE.equals(r[9]));
  }
}
