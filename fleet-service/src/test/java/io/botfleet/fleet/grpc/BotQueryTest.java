package io.botfleet.fleet.grpc;

import static io.botfleet.devkit.StatusDetails.errorInfo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.PostgresTestResource;
import io.botfleet.devkit.TestPrincipal;
import io.botfleet.fleet.FleetTestSupport;
import io.botfleet.fleet.fakes.FakeServicesTestResource;
import io.botfleet.fleet.v1.Bot;
import io.botfleet.fleet.v1.BotStatus;
import io.botfleet.fleet.v1.GetBotRequest;
import io.botfleet.fleet.v1.ListBotsRequest;
import io.botfleet.fleet.v1.ListBotsResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
@QuarkusTestResource(FakeServicesTestResource.class)
class BotQueryTest extends FleetTestSupport {

  @Test
  void listBotsFiltersAndPagesByName() {
    String group = "list-" + unique();
    for (String exchange : new String[] {"binance", "okx", "binance", "deribit", "binance"}) {
      register(botRequest(group + "-" + exchange + "-" + unique(), group, exchange));
    }

    ListBotsResponse first =
        fleet(viewer())
            .listBots(
                ListBotsRequest.newBuilder()
                    .setGroup(group)
                    .setExchange("binance")
                    .setPageSize(2)
                    .build());
    ListBotsResponse second =
        fleet(viewer())
            .listBots(
                ListBotsRequest.newBuilder()
                    .setGroup(group)
                    .setExchange("binance")
                    .setPageSize(2)
                    .setPageToken(first.getNextPageToken())
                    .build());

    assertThat(first.getTotalSize()).isEqualTo(3);
    assertThat(first.getBotsList()).hasSize(2).extracting(Bot::getName).isSorted();
    assertThat(second.getBotsList()).hasSize(1);
    assertThat(second.getNextPageToken()).isEmpty();
    assertThat(first.getBots(1).getName()).isLessThan(second.getBots(0).getName());
    assertThat(
            fleet(viewer())
                .listBots(
                    ListBotsRequest.newBuilder()
                        .setGroup(group)
                        .addStatuses(BotStatus.BOT_STATUS_ACTIVE)
                        .build())
                .getBotsList())
        .isEmpty();
  }

  @Test
  void getBotFindsABotByIdOrNameAndABotSeesOnlyItself() {
    Bot bot = register("self-" + unique(), "okx");
    Bot other = register("other-" + unique(), "okx");
    TestPrincipal asBot = TestPrincipal.bot(bot.getId()).trustedBy(keyCache);

    assertThat(
            fleet(viewer())
                .getBot(GetBotRequest.newBuilder().setName(bot.getName()).build())
                .getBot()
                .getId())
        .isEqualTo(bot.getId());
    assertThat(
            fleet(asBot)
                .getBot(GetBotRequest.newBuilder().setBotId(bot.getId()).build())
                .getBot()
                .getName())
        .isEqualTo(bot.getName());
    assertThatThrownBy(
            () -> fleet(asBot).getBot(GetBotRequest.newBuilder().setBotId(other.getId()).build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(errorInfo(e).getReason()).isEqualTo("NOT_SELF"));
    assertThatThrownBy(
            () -> fleet(asBot).getBot(GetBotRequest.newBuilder().setName(other.getName()).build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
    assertThatThrownBy(() -> fleet(asBot).listBots(ListBotsRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
    assertThatThrownBy(
            () -> fleet(viewer()).getBot(GetBotRequest.newBuilder().setBotId("bot-nope").build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
              assertThat(errorInfo(e).getReason()).isEqualTo("BOT_NOT_FOUND");
            });
  }
}
