package io.botfleet.sim;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The simulator's control language, the same on stdin, over HTTP and in {@code --fault}:
 *
 * <pre>
 * kill BOT[,BOT…]                 the process dies: streams cut, no more heartbeats
 * revive BOT[,BOT…]               a killed bot starts again on its key file
 * drawdown BOT[,BOT…] PCT         a sudden loss leaves the day's drawdown at PCT percent
 * errors BOT[,BOT…] COUNT         the next heartbeat reports COUNT errors
 * latency BOT[,BOT…] MS [SECONDS] exchange round trips of about MS ms (default for 60 s)
 * silence BOT[,BOT…] SECONDS      no heartbeats for SECONDS (the streams stay open)
 * status [BOT]                    the fleet table, or one bot
 * help                            this text
 * </pre>
 */
final class FaultControl {

  static final String HELP =
      """
      kill BOT[,BOT...]                 the process dies: streams cut, no more heartbeats
      revive BOT[,BOT...]               a killed bot starts again on its key file
      drawdown BOT[,BOT...] PCT         a sudden loss leaves the day's drawdown at PCT percent
      errors BOT[,BOT...] COUNT         the next heartbeat reports COUNT errors
      latency BOT[,BOT...] MS [SECONDS] exchange round trips of about MS ms (default for 60 s)
      silence BOT[,BOT...] SECONDS      no heartbeats for SECONDS (the streams stay open)
      status [BOT]                      the fleet table, or one bot
      help                              this text
      """;

  private final Simulator simulator;

  FaultControl(Simulator simulator) {
    this.simulator = simulator;
  }

  /**
   * Carries out one command line.
   *
   * @return what happened, for the operator
   * @throws IllegalArgumentException with what is wrong with the line
   */
  String apply(String line) throws Exception {
    String[] words = line.strip().split("\\s+");
    if (words.length == 0 || words[0].isEmpty()) {
      return "";
    }
    String verb = words[0].toLowerCase();
    switch (verb) {
      case "help" -> {
        return HELP;
      }
      case "status" -> {
        return words.length > 1
            ? StatusTable.render(bots(words[1]), Integer.MAX_VALUE)
            : StatusTable.render(simulator.bots(), 60);
      }
      case "kill" -> {
        need(words, 2, "kill BOT");
        for (SimulatedBot bot : bots(words[1])) {
          bot.kill();
        }
        return "killed " + words[1];
      }
      case "revive" -> {
        need(words, 2, "revive BOT");
        for (SimulatedBot bot : bots(words[1])) {
          simulator.revive(bot.profile.name());
        }
        return "revived " + words[1];
      }
      case "drawdown" -> {
        need(words, 3, "drawdown BOT PCT");
        double pct = number(words[2], "PCT", 0, 100);
        bots(words[1]).forEach(bot -> bot.spikeDrawdown(pct));
        return "drawdown of " + words[1] + " now " + pct + " %";
      }
      case "errors" -> {
        need(words, 3, "errors BOT COUNT");
        long count = (long) number(words[2], "COUNT", 0, 1_000_000);
        bots(words[1]).forEach(bot -> bot.addErrors(count));
        return count + " errors for " + words[1];
      }
      case "latency" -> {
        need(words, 3, "latency BOT MS [SECONDS]");
        double ms = number(words[2], "MS", 0, 600_000);
        long seconds = words.length > 3 ? (long) number(words[3], "SECONDS", 1, 86_400) : 60;
        bots(words[1]).forEach(bot -> bot.latency(ms, Duration.ofSeconds(seconds)));
        return "latency of " + words[1] + " about " + ms + " ms for " + seconds + " s";
      }
      case "silence", "delay-heartbeats" -> {
        need(words, 3, "silence BOT SECONDS");
        long seconds = (long) number(words[2], "SECONDS", 1, 86_400);
        bots(words[1]).forEach(bot -> bot.silence(Duration.ofSeconds(seconds)));
        return "no heartbeats from " + words[1] + " for " + seconds + " s";
      }
      default ->
          throw new IllegalArgumentException("unknown command '" + words[0] + "'; try: help");
    }
  }

  /** Counts of bots per state, for scripts (the HTTP control's GET /bots). */
  Map<String, Integer> counts() {
    Map<String, Integer> counts = new TreeMap<>();
    for (SimulatedBot bot : simulator.bots()) {
      counts.merge(bot.state().name().toLowerCase(), 1, Integer::sum);
      if (bot.inSafeMode()) {
        counts.merge("safe_mode", 1, Integer::sum);
      }
    }
    return counts;
  }

  private Collection<SimulatedBot> bots(String names) {
    List<SimulatedBot> bots = new ArrayList<>();
    for (String name : names.split(",")) {
      bots.add(simulator.bot(name.strip()));
    }
    return bots;
  }

  private static void need(String[] words, int count, String usage) {
    if (words.length < count) {
      throw new IllegalArgumentException("usage: " + usage);
    }
  }

  private static double number(String text, String what, double min, double max) {
    double value;
    try {
      value = Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + " must be a number, got " + text);
    }
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          what + " must be between " + min + " and " + max + ", got " + text);
    }
    return value;
  }

  /**
   * Schedules the {@code --fault} options, each "DELAY COMMAND" (e.g. {@code 90s kill
   * spot-arb-01}).
   *
   * @throws IllegalArgumentException naming a fault that is not DELAY COMMAND
   */
  void schedule(List<String> faults, ScheduledExecutorService scheduler, PrintStream out) {
    for (String fault : faults) {
      String[] parts = fault.strip().split("\\s+", 2);
      if (parts.length < 2) {
        throw new IllegalArgumentException("--fault wants \"DELAY COMMAND\", got: " + fault);
      }
      Duration delay = Durations.parse(parts[0]);
      scheduler.schedule(
          () -> {
            try {
              out.println("fleet-sim: fault: " + parts[1] + " -> " + apply(parts[1]).strip());
            } catch (Exception e) {
              out.println("fleet-sim: fault '" + parts[1] + "' failed: " + e.getMessage());
            }
          },
          delay.toMillis(),
          TimeUnit.MILLISECONDS);
    }
  }

  /** Reads command lines from {@code in} (stdin) on a daemon thread until it ends. */
  void readCommands(InputStream in, PrintStream out) {
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                  if (line.isBlank()) {
                    continue;
                  }
                  try {
                    String answer = apply(line);
                    out.print(answer.endsWith("\n") ? answer : answer + "\n");
                  } catch (Exception e) {
                    out.println(e.getMessage());
                  }
                }
              } catch (IOException e) {
                // stdin closed: the control port and --fault still work
              }
            },
            "sim-stdin");
    reader.setDaemon(true);
    reader.start();
  }
}
