package io.botfleet.billing.persistence;

import io.botfleet.billing.domain.BotInfo;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/** The bot directory: what fleet-service said about each bot. */
@ApplicationScoped
public class BotRepository implements PanacheRepositoryBase<BotEntity, String> {

  /** A bot as last seen. */
  public Optional<BotInfo> find(String botId) {
    return findByIdOptional(botId).map(BotEntity::toDomain);
  }

  /** Every bot seen, by name. */
  public List<BotInfo> all() {
    return list("order by name").stream().map(BotEntity::toDomain).toList();
  }

  /** Stores what fleet-service says now about these bots. */
  public void upsert(List<BotInfo> bots) {
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    for (BotInfo bot : bots) {
      getEntityManager()
          .createNativeQuery(
              "insert into bots (bot_id, name, group_name, strategy, exchange, status, standby,"
                  + " refreshed_at) values (:id, :name, :group, :strategy, :exchange, :status,"
                  + " :standby, :now) on conflict (bot_id) do update set name = excluded.name,"
                  + " group_name = excluded.group_name, strategy = excluded.strategy,"
                  + " exchange = excluded.exchange, status = excluded.status,"
                  + " standby = excluded.standby, refreshed_at = excluded.refreshed_at")
          .setParameter("id", bot.id())
          .setParameter("name", bot.name())
          .setParameter("group", bot.group())
          .setParameter("strategy", bot.strategy())
          .setParameter("exchange", bot.exchange())
          .setParameter("status", bot.status())
          .setParameter("standby", bot.standby())
          .setParameter("now", now)
          .executeUpdate();
    }
  }
}
