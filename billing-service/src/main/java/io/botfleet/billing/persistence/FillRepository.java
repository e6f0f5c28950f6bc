package io.botfleet.billing.persistence;

import io.botfleet.billing.domain.Fill;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hibernate.Session;

/** Fills reported by bots. */
@ApplicationScoped
public class FillRepository {

  @Inject EntityManager entityManager;

  /**
   * Stores fills not stored before (by bot, exchange and fill id), in one JDBC batch. Returns, for
   * each fill in order, true if it is new.
   */
  public List<Boolean> insertNew(String botId, List<Fill> fills) {
    List<Boolean> inserted = new ArrayList<>();
    if (fills.isEmpty()) {
      return inserted;
    }
    entityManager
        .unwrap(Session.class)
        .doWork(
            connection -> {
              try (PreparedStatement insert =
                  connection.prepareStatement(
                      "insert into fills (bot_id, exchange, fill_id, pair, side, size, price,"
                          + " fee, fee_currency, fee_usd, fill_time, realized_pnl_usd)"
                          + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                          + " on conflict (bot_id, exchange, fill_id) do nothing")) {
                for (Fill f : fills) {
                  insert.setString(1, botId);
                  insert.setString(2, f.exchange());
                  insert.setString(3, f.fillId());
                  insert.setString(4, f.pair());
                  insert.setString(5, f.side());
                  insert.setBigDecimal(6, f.size());
                  insert.setBigDecimal(7, f.price());
                  insert.setBigDecimal(8, f.fee());
                  insert.setString(9, f.feeCurrency());
                  insert.setBigDecimal(10, f.feeUsd());
                  insert.setTimestamp(11, Timestamp.from(f.fillTime()));
                  if (f.realizedPnlUsd() == null) {
                    insert.setNull(12, Types.NUMERIC);
                  } else {
                    insert.setBigDecimal(12, f.realizedPnlUsd());
                  }
                  insert.addBatch();
                }
                for (int count : insert.executeBatch()) {
                  inserted.add(count == 1);
                }
              }
            });
    return inserted;
  }

  /** The fee in USD of a stored fill, keyed "exchange|fill_id", for fills already stored. */
  @SuppressWarnings("unchecked")
  public Map<String, BigDecimal> storedFees(String botId, List<Fill> fills) {
    Map<String, BigDecimal> fees = new HashMap<>();
    if (fills.isEmpty()) {
      return fees;
    }
    List<String> ids = fills.stream().map(Fill::fillId).distinct().toList();
    List<Object[]> rows =
        entityManager
            .createNativeQuery(
                "select exchange, fill_id, fee_usd from fills"
                    + " where bot_id = :bot and fill_id in (:ids)")
            .setParameter("bot", botId)
            .setParameter("ids", ids)
            .getResultList();
    rows.forEach(r -> fees.put(r[0] + "|" + r[1], (BigDecimal) r[2]));
    return fees;
  }

  /** A bot's realized PnL from fills per day (UTC), for days with at least one fill that has it. */
  @SuppressWarnings("unchecked")
  public Map<LocalDate, BigDecimal> realizedPnlByDay(String botId, LocalDate from, LocalDate to) {
    List<Object[]> rows =
        entityManager
            .createNativeQuery(
                "select (fill_time at time zone 'UTC')::date, sum(realized_pnl_usd) from fills"
                    + " where bot_id = :bot and realized_pnl_usd is not null"
                    + " and fill_time >= :from and fill_time < :to group by 1")
            .setParameter("bot", botId)
            .setParameter("from", from.atStartOfDay().atOffset(ZoneOffset.UTC))
            .setParameter("to", to.plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC))
            .getResultList();
    Map<LocalDate, BigDecimal> pnl = new HashMap<>();
    rows.forEach(
        r ->
            pnl.put(
                r[0] instanceof java.sql.Date d ? d.toLocalDate() : (LocalDate) r[0],
                (BigDecimal) r[1]));
    return pnl;
  }

  /** Every bot's realized PnL from fills per day over a range: bot → day → PnL. */
  @SuppressWarnings("unchecked")
  public Map<String, Map<LocalDate, BigDecimal>> realizedPnlByBotAndDay(
      LocalDate from, LocalDate to) {
    List<Object[]> rows =
        entityManager
            .createNativeQuery(
                "select bot_id, (fill_time at time zone 'UTC')::date, sum(realized_pnl_usd)"
                    + " from fills where realized_pnl_usd is not null"
                    + " and fill_time >= :from and fill_time < :to group by 1, 2")
            .setParameter("from", from.atStartOfDay().atOffset(ZoneOffset.UTC))
            .setParameter("to", to.plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC))
            .getResultList();
    Map<String, Map<LocalDate, BigDecimal>> pnl = new HashMap<>();
    rows.forEach(
        r ->
            pnl.computeIfAbsent((String) r[0], b -> new HashMap<>())
                .put(
                    r[1] instanceof java.sql.Date d ? d.toLocalDate() : (LocalDate) r[1],
                    (BigDecimal) r[2]));
    return pnl;
  }
}
