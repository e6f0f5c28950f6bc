package io.botfleet.billing.persistence;

import io.botfleet.billing.domain.CostCategory;
import io.botfleet.billing.domain.CostEntry;
import io.botfleet.billing.domain.Page;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.Session;

/** Cost entries: booking, and the sums reports are made of. */
@ApplicationScoped
public class CostEntryRepository implements PanacheRepositoryBase<CostEntryEntity, UUID> {

  /**
   * One group of entries of a report: a bot, a category, and where its cost belongs.
   *
   * @param botId the bot
   * @param botName its name (from the entry, else the directory), or null
   * @param category the category
   * @param group the group (the entry's, else the bot's), or null
   * @param strategy the bot's strategy, or null
   * @param exchange the fill's exchange, else the bot's, or null
   * @param amount the sum
   */
  public record CostRow(
      String botId,
      String botName,
      CostCategory category,
      String group,
      String strategy,
      String exchange,
      BigDecimal amount) {}

  /** The entry booked with an idempotency key. */
  public Optional<CostEntryEntity> findByEntryKey(String entryKey) {
    return find("entryKey", entryKey).firstResultOptional();
  }

  /** Inserts entries in one JDBC batch (fills come a thousand at a time). */
  public void insertAll(List<CostEntry> entries) {
    if (entries.isEmpty()) {
      return;
    }
    getEntityManager()
        .unwrap(Session.class)
        .doWork(
            connection -> {
              try (PreparedStatement insert =
                  connection.prepareStatement(
                      "insert into cost_entries (id, bot_id, bot_name, category, amount_usd,"
                          + " description, incurred_date, recorded_by, recorded_at, entry_key,"
                          + " source, exchange, group_name)"
                          + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (CostEntry e : entries) {
                  insert.setObject(1, e.id());
                  insert.setString(2, e.botId());
                  setText(insert, 3, e.botName());
                  insert.setString(4, e.category().name());
                  insert.setBigDecimal(5, e.amountUsd());
                  insert.setString(6, e.description());
                  insert.setDate(7, Date.valueOf(e.incurredDate()));
                  insert.setString(8, e.recordedBy());
                  insert.setTimestamp(9, Timestamp.from(e.recordedAt()));
                  insert.setString(10, e.entryKey());
                  insert.setString(11, e.source());
                  setText(insert, 12, e.exchange());
                  setText(insert, 13, e.group());
                  insert.addBatch();
                }
                insert.executeBatch();
              }
            });
  }

  /** A bot's spend in a month (every entry dated in it, whenever it was recorded). */
  public BigDecimal spent(String botId, YearMonth month) {
    Object sum =
        getEntityManager()
            .createNativeQuery(
                "select coalesce(sum(amount_usd), 0) from cost_entries"
                    + " where bot_id = :bot and incurred_date between :from and :to")
            .setParameter("bot", botId)
            .setParameter("from", month.atDay(1))
            .setParameter("to", month.atEndOfMonth())
            .getSingleResult();
    return (BigDecimal) sum;
  }

  /** A bot's costs per category over a period; categories without entries are absent. */
  @SuppressWarnings("unchecked")
  public Map<CostCategory, BigDecimal> byCategory(String botId, LocalDate from, LocalDate to) {
    List<Object[]> rows =
        getEntityManager()
            .createNativeQuery(
                "select category, sum(amount_usd) from cost_entries"
                    + " where bot_id = :bot and incurred_date between :from and :to"
                    + " group by category")
            .setParameter("bot", botId)
            .setParameter("from", from)
            .setParameter("to", to)
            .getResultList();
    Map<CostCategory, BigDecimal> sums = new EnumMap<>(CostCategory.class);
    rows.forEach(r -> sums.put(CostCategory.valueOf((String) r[0]), (BigDecimal) r[1]));
    return sums;
  }

  /** Every bot's costs over a period, per category, group, strategy and exchange. */
  @SuppressWarnings("unchecked")
  public List<CostRow> breakdown(LocalDate from, LocalDate to) {
    List<Object[]> rows =
        getEntityManager()
            .createNativeQuery(
                "select e.bot_id, coalesce(max(e.bot_name), max(b.name)), e.category,"
                    + " coalesce(e.group_name, b.group_name), b.strategy,"
                    + " coalesce(e.exchange, b.exchange), sum(e.amount_usd)"
                    + " from cost_entries e left join bots b on b.bot_id = e.bot_id"
                    + " where e.incurred_date between :from and :to"
                    + " group by e.bot_id, e.category, coalesce(e.group_name, b.group_name),"
                    + " b.strategy, coalesce(e.exchange, b.exchange)")
            .setParameter("from", from)
            .setParameter("to", to)
            .getResultList();
    List<CostRow> result = new ArrayList<>();
    for (Object[] r : rows) {
      result.add(
          new CostRow(
              (String) r[0],
              (String) r[1],
              CostCategory.valueOf((String) r[2]),
              (String) r[3],
              (String) r[4],
              (String) r[5],
              (BigDecimal) r[6]));
    }
    return result;
  }

  /** The whole fleet's costs per category over a period. */
  @SuppressWarnings("unchecked")
  public Map<CostCategory, BigDecimal> fleetByCategory(LocalDate from, LocalDate to) {
    List<Object[]> rows =
        getEntityManager()
            .createNativeQuery(
                "select category, sum(amount_usd) from cost_entries"
                    + " where incurred_date between :from and :to group by category")
            .setParameter("from", from)
            .setParameter("to", to)
            .getResultList();
    Map<CostCategory, BigDecimal> sums = new EnumMap<>(CostCategory.class);
    rows.forEach(r -> sums.put(CostCategory.valueOf((String) r[0]), (BigDecimal) r[1]));
    return sums;
  }

  /** Each bot's total over a period. */
  @SuppressWarnings("unchecked")
  public Map<String, BigDecimal> totalsByBot(LocalDate from, LocalDate to) {
    List<Object[]> rows =
        getEntityManager()
            .createNativeQuery(
                "select bot_id, sum(amount_usd) from cost_entries"
                    + " where incurred_date between :from and :to group by bot_id")
            .setParameter("from", from)
            .setParameter("to", to)
            .getResultList();
    Map<String, BigDecimal> totals = new HashMap<>();
    rows.forEach(r -> totals.put((String) r[0], (BigDecimal) r[1]));
    return totals;
  }

  /** A page of entries over a period, oldest first (by day, then booking order). */
  @SuppressWarnings("unchecked")
  public Page<CostEntry> page(
      LocalDate from,
      LocalDate to,
      String botId,
      CostCategory category,
      String after,
      int pageSize) {
    StringBuilder sql =
        new StringBuilder(
            "select e.id, e.bot_id, coalesce(e.bot_name, b.name), e.category, e.amount_usd,"
                + " e.description, e.incurred_date, e.recorded_by, e.recorded_at, e.entry_key,"
                + " e.source, e.exchange, e.group_name, e.seq"
                + " from cost_entries e left join bots b on b.bot_id = e.bot_id"
                + " where e.incurred_date between :from and :to");
    if (!botId.isEmpty()) {
      sql.append(" and e.bot_id = :bot");
    }
    if (category != null) {
      sql.append(" and e.category = :category");
    }
    LocalDate afterDay = null;
    long afterSeq = 0;
    if (!after.isEmpty()) {
      String[] position = after.split("\\|", 2);
      afterDay = LocalDate.parse(position[0]);
      afterSeq = Long.parseLong(position[1]);
      sql.append(" and (e.incurred_date, e.seq) > (:afterDay, :afterSeq)");
    }
    sql.append(" order by e.incurred_date, e.seq limit :limit");
    var query =
        getEntityManager()
            .createNativeQuery(sql.toString())
            .setParameter("from", from)
            .setParameter("to", to)
            .setParameter("limit", pageSize + 1);
    if (!botId.isEmpty()) {
      query.setParameter("bot", botId);
    }
    if (category != null) {
      query.setParameter("category", category.name());
    }
    if (afterDay != null) {
      query.setParameter("afterDay", afterDay).setParameter("afterSeq", afterSeq);
    }
    List<Object[]> rows = query.getResultList();
    List<CostEntry> entries = new ArrayList<>();
    String last = null;
    for (int i = 0; i < Math.min(rows.size(), pageSize); i++) {
      Object[] r = rows.get(i);
      CostEntry entry =
          new CostEntry(
              (UUID) r[0],
              (String) r[1],
              (String) r[2],
              CostCategory.valueOf((String) r[3]),
              (BigDecimal) r[4],
              (String) r[5],
              toLocalDate(r[6]),
              (String) r[7],
              Instants.of(r[8]),
              (String) r[9],
              (String) r[10],
              (String) r[11],
              (String) r[12]);
      entries.add(entry);
      last = entry.incurredDate() + "|" + ((Number) r[13]).longValue();
    }
    return new Page<>(entries, rows.size() > pageSize ? Optional.of(last) : Optional.empty());
  }

  /** Fills in bot names of entries booked while fleet-service could not say them. */
  public int backfillNames() {
    return getEntityManager()
        .createNativeQuery(
            "update cost_entries e set bot_name = b.name from bots b"
                + " where e.bot_name is null and e.bot_id = b.bot_id")
        .executeUpdate();
  }

  private static void setText(PreparedStatement statement, int index, String value)
      throws java.sql.SQLException {
    if (value == null) {
      statement.setNull(index, Types.VARCHAR);
    } else {
      statement.setString(index, value);
    }
  }

  private static LocalDate toLocalDate(Object value) {
    return value instanceof Date date ? date.toLocalDate() : (LocalDate) value;
  }
}
