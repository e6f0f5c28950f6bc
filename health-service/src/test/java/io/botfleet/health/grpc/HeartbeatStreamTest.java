package io.botfleet.health.grpc;

import static io.botfleet.devkit.StatusDetails.badRequestFields;
import static io.botfleet.devkit.StatusDetails.errorInfo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.agroal.api.AgroalDataSource;
import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.PostgresTestResource;
import io.botfleet.devkit.TestPrincipal;
import io.botfleet.health.v1.GetBotHealthRequest;
import io.botfleet.health.v1.HealthStatus;
import io.botfleet.health.v1.HeartbeatFieldError;
import io.botfleet.health.v1.RecordHeartbeatRequest;
import io.botfleet.health.v1.StreamHeartbeatsResponse;
import io.botfleet.signing.Credentials;
import io.botfleet.signing.SigningKey;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
class HeartbeatStreamTest extends HealthTestSupport {

  @Inject AgroalDataSource dataSource;

  @Test
  void everyHeartbeatIsAnsweredWithItsEvaluationAndIsStoredBeforeTheAnswer() throws Exception {
    TestPrincipal bot = trackedBot("spot-arb");
    BotStream stream = new BotStream(bot, channel);

    for (int seq = 1; seq <= 50; seq++) {
      stream.send(heartbeat(seq).setDrawdownPct(seq == 50 ? 12.0 : 1.2));
      StreamHeartbeatsResponse answer = stream.next();
      assertThat(answer.getSequence()).isEqualTo(seq);
      assertThat(answer.getAccepted()).isTrue();
      // Group commit: the answer comes only after the heartbeat is in the database.
      assertThat(stored(bot.agentId(), seq)).as("heartbeat %d stored when answered", seq).isOne();
    }
    StreamHeartbeatsResponse last = stream.answers.isEmpty() ? null : stream.answers.peek();
    assertThat(last).isNull();
    var health =
        stub(operator())
            .getBotHealth(GetBotHealthRequest.newBuilder().setBotId(bot.agentId()).build())
            .getHealth();
    assertThat(health.getStatus()).isEqualTo(HealthStatus.HEALTH_STATUS_CRITICAL);
    assertThat(health.getIssues(0).getText()).isEqualTo("high_drawdown:12.0%");
    assertThat(health.getLatest().getHeartbeat().getSequence()).isEqualTo(50);
    stream.finish();
    untrack(bot.agentId());
  }

  @Test
  void theAnswerCarriesStatusIssuesAndTheNextDeadline() throws Exception {
    TestPrincipal bot = trackedBot("perp-momentum");
    BotStream stream = new BotStream(bot, channel);

    stream.send(heartbeat(1).setHeartbeatLatencyMs(1200).setErrorCount(4));
    StreamHeartbeatsResponse answer = stream.next();

    assertThat(answer.getStatus()).isEqualTo(HealthStatus.HEALTH_STATUS_WARNING);
    assertThat(answer.getIssuesList())
        .extracting(i -> i.getText())
        .containsExactly("elevated_latency:1200ms", "elevated_errors:4");
    long deadlineIn = answer.getDeadlineTime().getSeconds() - System.currentTimeMillis() / 1000;
    assertThat(deadlineIn).isBetween(115L, 121L);
    stream.finish();
    untrack(bot.agentId());
  }

  @Test
  void aMalformedHeartbeatIsRefusedWithItsFieldsAndTheStreamStaysOpen() throws Exception {
    TestPrincipal bot = trackedBot("spot-arb");
    BotStream stream = new BotStream(bot, channel);
    stream.send(heartbeat(1));
    assertThat(stream.next().getAccepted()).isTrue();

    stream.send(heartbeat(2).setDrawdownPct(140).setCpuPct(Double.NaN).setPnlUsd("lots"));
    StreamHeartbeatsResponse refused = stream.next();
    stream.send(heartbeat(3));
    StreamHeartbeatsResponse after = stream.next();

    assertThat(refused.getAccepted()).isFalse();
    assertThat(refused.getSequence()).isEqualTo(2);
    assertThat(refused.getErrorsList())
        .extracting(HeartbeatFieldError::getField)
        .containsExactly("pnl_usd", "drawdown_pct", "cpu_pct");
    assertThat(refused.getErrors(1).getDescription()).contains("between 0 and 100").contains("140");
    assertThat(stored(bot.agentId(), 2)).as("nothing of it stored").isZero();
    assertThat(after.getAccepted()).isTrue();
    assertThat(stored(bot.agentId(), 1) + stored(bot.agentId(), 3)).isEqualTo(2);
    stream.finish();
    untrack(bot.agentId());
  }

  @Test
  void aResentHeartbeatIsAnsweredAgainButStoredOnce() throws Exception {
    TestPrincipal bot = trackedBot("spot-arb");
    BotStream stream = new BotStream(bot, channel);
    var first = heartbeat(7);

    stream.send(first);
    stream.send(first);

    assertThat(stream.next().getAccepted()).isTrue();
    assertThat(stream.next().getAccepted()).isTrue();
    assertThat(stored(bot.agentId(), 7)).isOne();
    stream.finish();
    untrack(bot.agentId());
  }

  @Test
  void aBotTheFleetDidNotRegisterIsTurnedAway() {
    TestPrincipal stranger = TestPrincipal.bot().trustedBy(keyCache);
    BotStream stream = new BotStream(stranger, channel);

    stream.send(heartbeat(1));

    await().atMost(Duration.ofSeconds(10)).until(() -> !stream.errors.isEmpty());
    StatusRuntimeException e = (StatusRuntimeException) stream.errors.get(0);
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(errorInfo(e).getReason()).isEqualTo("BOT_NOT_TRACKED");
  }

  @Test
  void recordHeartbeatAnswersLikeTheStreamAndNamesBadFields() {
    TestPrincipal bot = trackedBot("spot-arb");

    var answer =
        stub(bot)
            .recordHeartbeat(
                RecordHeartbeatRequest.newBuilder()
                    .setBotId(bot.agentId())
                    .setHeartbeat(heartbeat(1).setMemoryMb(4096))
                    .build());

    assertThat(answer.getStatus()).isEqualTo(HealthStatus.HEALTH_STATUS_CRITICAL);
    assertThat(answer.getIssues(0).getText()).isEqualTo("high_memory:4096MB");
    assertThatThrownBy(
            () ->
                stub(bot)
                    .recordHeartbeat(
                        RecordHeartbeatRequest.newBuilder()
                            .setBotId(bot.agentId())
                            .setHeartbeat(heartbeat(2).setOpenOrders(-1).setVersion(""))
                            .build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(badRequestFields(e))
                  .containsExactly("heartbeat.open_orders", "heartbeat.version");
            });
    untrack(bot.agentId());
  }

  @Test
  void aBotMayNotReportForAnother() {
    TestPrincipal bot = trackedBot("spot-arb");
    TestPrincipal other = trackedBot("spot-arb");

    assertThatThrownBy(
            () ->
                stub(bot)
                    .recordHeartbeat(
                        RecordHeartbeatRequest.newBuilder()
                            .setBotId(other.agentId())
                            .setHeartbeat(heartbeat(1))
                            .build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
    untrack(bot.agentId());
    untrack(other.agentId());
  }

  @Test
  void anOperatorMayNotOpenAHeartbeatStreamAndAnImpostorCannotTellThat() {
    TestPrincipal operator = operator();
    BotStream denied = new BotStream(operator, channel);
    await().until(() -> !denied.errors.isEmpty());
    assertThat(Status.fromThrowable(denied.errors.get(0)).getCode())
        .isEqualTo(Status.Code.PERMISSION_DENIED);

    // The same agent id and key version with another key: refused as unauthenticated, exactly
    // as for an RPC the operator may call, so the stream's access rule stays hidden.
    TestPrincipal impostor =
        new TestPrincipal(
            operator.principal(), new Credentials(operator.agentId(), 1, SigningKey.generate()));
    BotStream forged = new BotStream(impostor, channel);
    await().until(() -> !forged.errors.isEmpty());
    Status status = Status.fromThrowable(forged.errors.get(0));
    assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(status.getDescription()).contains("does not verify");
  }

  private int stored(String botId, long sequence) throws Exception {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement query =
            connection.prepareStatement(
                "select count(*) from heartbeats where bot_id = ? and sequence = ?")) {
      query.setString(1, botId);
      query.setLong(2, sequence);
      try (ResultSet result = query.executeQuery()) {
        result.next();
        return result.getInt(1);
      }
    }
  }
}
