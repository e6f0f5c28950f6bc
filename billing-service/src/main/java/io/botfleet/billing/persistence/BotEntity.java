package io.botfleet.billing.persistence;

import io.botfleet.billing.domain.BotInfo;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A row of {@code bots}: fleet-service's view of a bot, as last seen. */
@Entity
@Table(name = "bots")
public class BotEntity {

  @Id
  @Column(name = "bot_id")
  public String botId;

  public String name;

  @Column(name = "group_name")
  public String groupName;

  public String strategy;

  public String exchange;

  public String status;

  public boolean standby;

  @Column(name = "refreshed_at")
  public OffsetDateTime refreshedAt;

  /** The domain view. */
  public BotInfo toDomain() {
    return new BotInfo(botId, name, groupName, strategy, exchange, status, standby);
  }
}
