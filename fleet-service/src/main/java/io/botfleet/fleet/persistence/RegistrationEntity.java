package io.botfleet.fleet.persistence;

import io.botfleet.fleet.domain.RegistrationState;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A row of {@code registrations}: how far one RegisterBot got. */
@Entity
@Table(name = "registrations")
public class RegistrationEntity {

  @Id
  @Column(name = "request_id")
  public String requestId;

  /** Starts at 1; a retry after a failed (undone) attempt starts attempt 2, and so on. */
  public int attempt = 1;

  /** The request as given (JSON), to tell a retry from another request reusing the key. */
  @JdbcTypeCode(SqlTypes.JSON)
  public Map<String, Object> request;

  @Enumerated(EnumType.STRING)
  public RegistrationState state;

  @Column(name = "bot_id")
  public String botId;

  /** While COMPENSATING: the state reached when the failure happened. */
  @Enumerated(EnumType.STRING)
  public RegistrationState reached;

  @Column(name = "error_kind")
  public String errorKind;

  @Column(name = "error_reason")
  public String errorReason;

  @Column(name = "error_message")
  public String errorMessage;

  @Column(name = "lease_until")
  public OffsetDateTime leaseUntil;

  @Column(name = "created_at")
  public OffsetDateTime createdAt = OffsetDateTime.now(ZoneOffset.UTC);

  @Column(name = "updated_at")
  public OffsetDateTime updatedAt = OffsetDateTime.now(ZoneOffset.UTC);

  /** The key identity-service and permission-service see for this attempt. */
  public String attemptKey() {
    return attempt == 1 ? requestId : requestId + "#" + attempt;
  }

  /** Moves to a state. */
  public void moveTo(RegistrationState next) {
    state = next;
    updatedAt = OffsetDateTime.now(ZoneOffset.UTC);
  }
}
