package io.botfleet.fleet.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.botfleet.common.auth.KeyCache;
import io.botfleet.common.events.EventLog;
import io.botfleet.common.v1.OperatorRole;
import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.GrpcTestSupport;
import io.botfleet.devkit.PostgresTestResource;
import io.botfleet.devkit.TestPrincipal;
import io.botfleet.fleet.domain.BotStatus;
import io.botfleet.fleet.fakes.FakeServicesTestResource;
import io.botfleet.fleet.persistence.BotEntity;
import io.botfleet.fleet.persistence.BotRepository;
import io.botfleet.fleet.v1.FleetServiceGrpc;
import io.botfleet.fleet.v1.GetFleetStatusRequest;
import io.botfleet.fleet.v1.GetFleetStatusResponse;
import io.botfleet.fleet.v1.ListEventsRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
@QuarkusTestResource(FakeServicesTestResource.class)
class FleetStatusTest extends GrpcTestSupport {

  @Inject KeyCache keyCache;
  @Inject BotRepository bots;
  @Inject EventLog events;

  @Test
  void theStatusCountsBotsPerStatusAndGroupFromTheDatabase() {
    GetFleetStatusResponse before = status();
    String group = "grp-" + UUID.randomUUID().toString().substring(0, 6);
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              insertBot(group, BotStatus.ACTIVE);
              insertBot(group, BotStatus.ACTIVE);
              insertBot(group, BotStatus.PAUSED);
              insertBot(group, BotStatus.DEAD);
              insertBot(group, BotStatus.REVOKED);
            });

    GetFleetStatusResponse after = status();

    assertThat(after.getTotalBots()).isEqualTo(before.getTotalBots() + 4);
    assertThat(after.getGroupCountsMap().get(group).getActive()).isEqualTo(2);
    assertThat(after.getGroupCountsMap().get(group).getPaused()).isEqualTo(1);
    assertThat(after.getGroupCountsMap().get(group).getDead()).isEqualTo(1);
    assertThat(after.getStatusCounts().getActive())
        .isEqualTo(before.getStatusCounts().getActive() + 2);
    assertThat(after.hasTimestamp()).isTrue();
  }

  @Test
  void botsMayNotReadTheFleetStatus() {
    TestPrincipal bot = TestPrincipal.bot().trustedBy(keyCache);
    assertThatThrownBy(
            () ->
                signed(bot, FleetServiceGrpc.newBlockingStub(channel))
                    .getFleetStatus(GetFleetStatusRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
  }

  @Test
  void listEventsPagesThroughTheAuditLogNewestFirstWithFilters() {
    String bot = "bot-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              for (int i = 0; i < 3; i++) {
                events.append("fleet.test_event", bot, "op-tester", Map.of("n", i));
              }
              events.append("fleet.other_event", bot, "op-tester", Map.of("n", 99));
            });
    var stub = signed(viewer(), FleetServiceGrpc.newBlockingStub(channel));

    var first =
        stub.listEvents(
            ListEventsRequest.newBuilder()
                .setBotId(bot)
                .addTypes("fleet.test_event")
                .setPageSize(2)
                .build());
    var second =
        stub.listEvents(
            ListEventsRequest.newBuilder()
                .setBotId(bot)
                .addTypes("fleet.test_event")
                .setPageSize(2)
                .setPageToken(first.getNextPageToken())
                .build());

    assertThat(first.getEventsList())
        .extracting(e -> (int) e.getPayload().getFieldsMap().get("n").getNumberValue())
        .containsExactly(2, 1);
    assertThat(second.getEventsList())
        .extracting(e -> (int) e.getPayload().getFieldsMap().get("n").getNumberValue())
        .containsExactly(0);
    assertThat(second.getNextPageToken()).isEmpty();
    assertThat(first.getEvents(0).getActor()).isEqualTo("op-tester");
  }

  @Test
  void aPageTokenThatIsNotOursIsInvalidArgument() {
    var stub = signed(viewer(), FleetServiceGrpc.newBlockingStub(channel));
    assertThatThrownBy(
            () -> stub.listEvents(ListEventsRequest.newBuilder().setPageToken("garbage").build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription()).startsWith("page_token");
            });
  }

  private TestPrincipal viewer() {
    return TestPrincipal.operator(OperatorRole.OPERATOR_ROLE_VIEWER).trustedBy(keyCache);
  }

  private GetFleetStatusResponse status() {
    return signed(viewer(), FleetServiceGrpc.newBlockingStub(channel))
        .getFleetStatus(GetFleetStatusRequest.getDefaultInstance());
  }

  private void insertBot(String group, BotStatus status) {
    BotEntity bot = new BotEntity();
    bot.id = "bot-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    bot.name = bot.id;
    bot.group = group;
    bot.exchange = "binance";
    bot.strategy = "test";
    bot.version = "1.0.0";
    bot.status = status;
    bot.capabilities = List.of("trading");
    bot.maxPositionUsd = new BigDecimal("10000");
    bot.metadata = Map.of();
    bot.role = "trading_bot";
    bot.tier = "trade";
    bot.registeredAt = OffsetDateTime.now();
    bots.persist(bot);
  }
}
