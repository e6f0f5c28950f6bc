package io.botfleet.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.botfleet.billing.v1.BillingServiceGrpc;
import io.botfleet.sdk.fake.FakeControlPlane;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FillReportingTest {

  @TempDir Path dir;
  FakeControlPlane plane;
  final RecordingBot bot = new RecordingBot();
  BotfleetClient client;
  String agentId;

  @BeforeEach
  void start() throws Exception {
    plane = FakeControlPlane.inProcess();
    client = TestClients.enrolling(plane, bot, dir.resolve("bot.key"), "spot-arb-01").build();
    client.start();
    agentId = client.agentId();
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    plane.close();
  }

  @Test
  void recordedFillsAreBookedWithExactDecimals() {
    client.recordFill(RequestSigningTest.fill("t-1"));
    client.recordFill(RequestSigningTest.fill("t-2"));

    await().until(() -> plane.fills(agentId).size() == 2);
    var booked = plane.fills(agentId).get(0);
    assertThat(booked.getSize()).isEqualTo("0.5");
    assertThat(booked.getPrice()).isEqualTo("0.0425");
    assertThat(booked.getFeeUsd()).isEqualTo("19.20");
    assertThat(booked.getRealizedPnlUsd()).isEqualTo("12.5");
    await().until(() -> client.status().fillsBuffered() == 0);
  }

  @Test
  void fillsRecordedDuringABillingOutageAreSentWhenItIsBackAndNeverBookedTwice() {
    plane.unavailable(BillingServiceGrpc.SERVICE_NAME, true);
    for (int i = 0; i < 2500; i++) {
      client.recordFill(RequestSigningTest.fill("o-" + i));
    }
    await().until(() -> client.status().fillsBuffered() == 2500);

    plane.unavailable(BillingServiceGrpc.SERVICE_NAME, false);
    await().until(() -> plane.fills(agentId).size() == 2500);
    await().until(() -> client.status().fillsBuffered() == 0);
  }

  @Test
  void aDirectReportSaysWhatWasBookedAndWhatWasADuplicate() {
    FillReport first =
        client
            .reportFills(List.of(RequestSigningTest.fill("d-1"), RequestSigningTest.fill("d-2")))
            .join();
    FillReport again = client.reportFills(List.of(RequestSigningTest.fill("d-1"))).join();

    assertThat(first.accepted()).isEqualTo(2);
    assertThat(first.feesUsd()).isEqualByComparingTo(new BigDecimal("38.40"));
    assertThat(again.accepted()).isZero();
    assertThat(again.duplicates()).isEqualTo(1);
  }
}
