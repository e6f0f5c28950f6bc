package io.botfleet.fleetctl.command;

import io.botfleet.deploy.v1.BotDeploymentState;
import io.botfleet.deploy.v1.Deployment;
import io.botfleet.deploy.v1.DeploymentBot;
import io.botfleet.deploy.v1.DeploymentState;
import io.botfleet.deploy.v1.WatchDeploymentRequest;
import io.botfleet.deploy.v1.WatchDeploymentResponse;
import io.botfleet.fleetctl.ExitCodes;
import io.botfleet.fleetctl.output.Printer;
import io.botfleet.fleetctl.output.Values;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Follows a deployment until it ends, with a progress bar per batch. Exits 0 when it completes and
 * 8 when it ends otherwise (rolled back, aborted, failed), so a release pipeline can wait on it.
 */
@Command(
    name = "watch",
    header = "Follow a deployment live, a progress bar per batch, until it ends.",
    description = {
      "Exits 0 when the deployment completes, 8 when it is rolled back, aborted or fails. Piped or"
          + " with -o json it prints one line per update (JSON lines with -o json)."
    },
    footerHeading = "%nExample:%n",
    footer = "  fleetctl deploy watch deploy-3f9a1c2b7d4e && echo released")
public final class DeployWatchCommand extends BaseCommand {

  @Parameters(paramLabel = "DEPLOYMENT_ID")
  String id;

  @Override
  protected int run(Session session) {
    return follow(session, id);
  }

  /** Follows a deployment to its end; reconnects when the stream is lost. */
  static int follow(Session session, String id) {
    boolean live = session.terminal().interactive() && !session.out().json();
    Deployment last = null;
    int failures = 0;
    while (true) {
      try {
        Iterator<WatchDeploymentResponse> updates =
            session
                .clients()
                .deployWatch()
                .watchDeployment(WatchDeploymentRequest.newBuilder().setDeploymentId(id).build());
        while (updates.hasNext()) {
          WatchDeploymentResponse update = updates.next();
          failures = 0;
          last = update.getDeployment();
          if (session.out().json()) {
            session.out().out().println(Printer.toJson(update).replaceAll("\\s*\\n\\s*", " "));
          } else if (live) {
            session.out().out().print("\033[H\033[2J");
            render(session.out().out(), update);
          } else {
            session
                .out()
                .out()
                .printf(
                    "%s  %s  %s%n",
                    Values.time(update.getEventTime()), summary(last), update.getMessage());
          }
          session.out().out().flush();
        }
        break;
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.UNAVAILABLE || ++failures > 30) {
          throw e;
        }
        session.note("fleetctl: deployment stream lost; reconnecting …");
        try {
          Thread.sleep(Math.min(10_000, 500L << Math.min(failures, 5)));
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
    if (last == null) {
      return ExitCodes.ERROR;
    }
    if (!live && !session.out().json()) {
      session.out().out().println("Ended: " + summary(last));
    }
    return last.getState() == DeploymentState.DEPLOYMENT_STATE_COMPLETE
        ? ExitCodes.OK
        : ExitCodes.UNSUCCESSFUL;
  }

  static String summary(Deployment d) {
    long updated =
        d.getBotsList().stream()
            .filter(b -> b.getState() == BotDeploymentState.BOT_DEPLOYMENT_STATE_UPDATED)
            .count();
    return String.format(
        "%s %s -> %s %s %d/%d updated",
        d.getId(),
        Values.text(d.getGroup()),
        d.getVersion(),
        Values.enumName(d.getState()).toUpperCase(),
        updated,
        d.getBotsCount());
  }

  /** The whole view: header, a bar per batch, the last message. */
  static void render(PrintWriter out, WatchDeploymentResponse update) {
    Deployment d = update.getDeployment();
    out.println(summary(d));
    Map<Integer, List<DeploymentBot>> batches = new TreeMap<>();
    for (DeploymentBot bot : d.getBotsList()) {
      batches.computeIfAbsent(bot.getBatch(), b -> new ArrayList<>()).add(bot);
    }
    batches.forEach((batch, bots) -> out.println(batchLine(batch, bots)));
    for (var gate : d.getGatesList()) {
      out.printf(
          "gate step %d: %s %s%n",
          gate.getStep() + 1,
          Values.enumName(gate.getResult()),
          String.join("; ", gate.getReasonsList()));
    }
    if (!update.getMessage().isEmpty()) {
      out.println(Values.time(update.getEventTime()) + "  " + update.getMessage());
    }
  }

  /**
   * "batch 1 [##########..........] 1/2 updated 1, updating 1". Batch 0 is the canary, -1 the bots
   * left out from the start (standbys, bots already on the version).
   */
  static String batchLine(int batch, List<DeploymentBot> bots) {
    Map<String, Integer> counts = new TreeMap<>();
    int done = 0;
    for (DeploymentBot bot : bots) {
      counts.merge(Values.enumName(bot.getState()), 1, Integer::sum);
      if (bot.getState() == BotDeploymentState.BOT_DEPLOYMENT_STATE_UPDATED
          || bot.getState() == BotDeploymentState.BOT_DEPLOYMENT_STATE_ROLLED_BACK
          || bot.getState() == BotDeploymentState.BOT_DEPLOYMENT_STATE_SKIPPED
          || bot.getState() == BotDeploymentState.BOT_DEPLOYMENT_STATE_FAILED) {
        done++;
      }
    }
    StringBuilder detail = new StringBuilder();
    counts.forEach(
        (state, n) ->
            detail.append(detail.length() == 0 ? "" : ", ").append(state).append(' ').append(n));
    return String.format(
        "%-8s %s  %d/%d  %s",
        batch == 0 ? "canary" : batch < 0 ? "left out" : "batch " + batch,
        bar(done, bots.size(), 20),
        done,
        bots.size(),
        detail);
  }

  /** "[#####.....]" with {@code width} cells. */
  static String bar(int done, int total, int width) {
    int filled = total == 0 ? 0 : (int) Math.round((double) done * width / total);
    return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "]";
  }
}
