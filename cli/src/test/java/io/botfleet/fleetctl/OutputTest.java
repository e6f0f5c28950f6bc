package io.botfleet.fleetctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;
import io.botfleet.fleet.v1.BotStatus;
import io.botfleet.fleetctl.command.Args;
import io.botfleet.fleetctl.config.Durations;
import io.botfleet.fleetctl.output.Printer;
import io.botfleet.fleetctl.output.Table;
import io.botfleet.fleetctl.output.Values;
import io.botfleet.identity.v1.Identity;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class OutputTest {

  @Test
  void tableColumnsAreAlignedAndEmptyCellsShowADash() {
    StringWriter text = new StringWriter();
    new Table("NAME", "STATUS", "GROUP")
        .row("spot-arb-01", "active", "arb")
        .row("mm-2", "", null)
        .print(new PrintWriter(text));

    assertThat(text.toString().lines())
        .containsExactly(
            "NAME         STATUS  GROUP", "spot-arb-01  active  arb", "mm-2         -       -");
  }

  @Test
  void aRowWithTheWrongNumberOfCellsIsABug() {
    assertThatThrownBy(() -> new Table("A", "B").row("only one"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void enumsReadWithoutTheirTypePrefix() {
    assertThat(Values.enumName(BotStatus.BOT_STATUS_ACTIVE)).isEqualTo("active");
    assertThat(Values.enumName(BotStatus.BOT_STATUS_UNSPECIFIED)).isEqualTo("-");
  }

  @Test
  void timesAreUtcAndUnsetIsADash() {
    assertThat(Values.time(Timestamp.newBuilder().setSeconds(1_767_225_600L).build()))
        .isEqualTo("2026-01-01 00:00:00Z");
    assertThat(Values.time(Timestamp.getDefaultInstance())).isEqualTo("-");
  }

  @Test
  void aPayloadPrintsAsOneLineOfJson() {
    Struct payload =
        Struct.newBuilder()
            .putFields("reason", Value.newBuilder().setStringValue("x").build())
            .build();
    assertThat(Values.json(payload)).isEqualTo("{\"reason\":\"x\"}");
    assertThat(Values.json(Struct.getDefaultInstance())).isEqualTo("-");
  }

  @Test
  void jsonOutputIsTheAnswerWithEveryFieldAndNothingElse() {
    StringWriter text = new StringWriter();
    Printer printer = new Printer(new PrintWriter(text), Printer.Format.JSON);
    printer.line("a line for people");
    printer.print(Identity.newBuilder().setId("op-0123456789abcdef").build(), () -> {});

    assertThat(text.toString()).startsWith("{").contains("\"id\": \"op-0123456789abcdef\"");
    assertThat(text.toString()).contains("\"organization\": \"\"").doesNotContain("for people");
  }

  @Test
  void durationsParseAndFormat() {
    assertThat(Durations.parse("500ms", "x")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("7d", "x")).isEqualTo(Duration.ofDays(7));
    assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
    assertThatThrownBy(() -> Durations.parse("5 minutes", "--timeout"))
        .hasMessageContaining("--timeout")
        .hasMessageContaining("5 minutes");
  }

  @Test
  void timesAreAbsoluteOrAgo() {
    Instant now = Instant.parse("2026-03-01T12:00:00Z");
    assertThat(Args.time("-1h", "--since", now).getSeconds())
        .isEqualTo(now.minusSeconds(3600).getEpochSecond());
    assertThat(Args.time("2026-01-01", "--since", now).getSeconds()).isEqualTo(1_767_225_600L);
    assertThat(Args.time("now", "--since", now).getSeconds()).isEqualTo(now.getEpochSecond());
    assertThatThrownBy(() -> Args.time("yesterday", "--since", now))
        .isInstanceOfSatisfying(
            CliException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT))
        .hasMessageContaining("--since");
  }
}
