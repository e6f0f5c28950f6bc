package io.botfleet.permission.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.botfleet.common.auth.KeyCache;
import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.PostgresTestResource;
import io.botfleet.devkit.TestPrincipal;
import io.botfleet.permission.PermissionTestSupport;
import io.botfleet.permission.v1.CheckContext;
import io.botfleet.permission.v1.DecisionRule;
import io.botfleet.permission.v1.PermissionServiceGrpc;
import io.botfleet.permission.v1.StreamPermissionChecksRequest;
import io.botfleet.permission.v1.StreamPermissionChecksResponse;
import io.botfleet.permission.v1.Tier;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A bot's check stream: signed once, bound to the bot, answered in order like CheckPermission. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
class StreamPermissionChecksTest extends PermissionTestSupport {

  @Inject KeyCache keyCache;

  @Test
  void checksOnTheStreamAreDecidedInOrderForTheBotThatOpenedIt() throws Exception {
    TestPrincipal bot = newBot(keyCache);
    assign(keyCache, bot.agentId(), Tier.TIER_TRADE, SPOT_ARB);

    List<StreamPermissionChecksResponse> answers =
        exchange(
            bot,
            check(1, "place_order", spotOrder("BTC/USDT", "1000")),
            check(2, "place_order", spotOrder("BTC/USDT", "6000")),
            check(3, "place_order", spotOrder("BTC/USDT", "-5")),
            check(4, "withdraw_funds", CheckContext.getDefaultInstance()),
            check(5, "place_order", spotOrder("DOGE/USDT", "10")));

    assertThat(answers)
        .extracting(StreamPermissionChecksResponse::getCheckId)
        .containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(answers.get(0).getResult().getAllowed()).isTrue();
    assertThat(answers.get(1).getResult().getRule())
        .isEqualTo(DecisionRule.DECISION_RULE_MAX_ORDER_SIZE);
    assertThat(answers.get(2).hasResult()).isFalse();
    assertThat(answers.get(2).getErrors(0).getField()).isEqualTo("context.order_size_usd");
    assertThat(answers.get(3).getResult().getRule()).isEqualTo(DecisionRule.DECISION_RULE_TIER);
    assertThat(answers.get(4).getResult().getRule())
        .isEqualTo(DecisionRule.DECISION_RULE_ALLOWED_PAIRS);
  }

  @Test
  void aBotWithoutPermissionsIsDeniedOnItsStreamLikeEverywhere() throws Exception {
    TestPrincipal stranger = newBot(keyCache);

    List<StreamPermissionChecksResponse> answers =
        exchange(stranger, check(7, "read_positions", CheckContext.getDefaultInstance()));

    assertThat(answers.get(0).getResult().getAllowed()).isFalse();
    assertThat(answers.get(0).getResult().getRule())
        .isEqualTo(DecisionRule.DECISION_RULE_UNKNOWN_BOT);
  }

  private static StreamPermissionChecksRequest check(long id, String action, CheckContext context) {
    return StreamPermissionChecksRequest.newBuilder()
        .setCheckId(id)
        .setAction(action)
        .setContext(context)
        .build();
  }

  private static List<StreamPermissionChecksResponse> exchange(
      TestPrincipal bot, StreamPermissionChecksRequest... checks) throws InterruptedException {
    BlockingQueue<StreamPermissionChecksResponse> received = new LinkedBlockingQueue<>();
    StreamObserver<StreamPermissionChecksRequest> stream =
        bot.sign(PermissionServiceGrpc.newStub(channel))
            .streamPermissionChecks(
                new StreamObserver<>() {
                  @Override
                  public void onNext(StreamPermissionChecksResponse value) {
                    received.add(value);
                  }

                  @Override
                  public void onError(Throwable t) {}

                  @Override
                  public void onCompleted() {}
                });
    for (StreamPermissionChecksRequest check : checks) {
      stream.onNext(check);
    }
    List<StreamPermissionChecksResponse> answers = new ArrayList<>();
    for (int i = 0; i < checks.length; i++) {
      StreamPermissionChecksResponse answer = received.poll(10, TimeUnit.SECONDS);
      assertThat(answer).as("answer %d", i + 1).isNotNull();
      answers.add(answer);
    }
    stream.onCompleted();
    return answers;
  }
}
