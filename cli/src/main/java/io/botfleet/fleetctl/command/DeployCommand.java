package io.botfleet.fleetctl.command;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.botfleet.common.v1.BotIds;
import io.botfleet.common.v1.Scope;
import io.botfleet.deploy.v1.AbortDeploymentRequest;
import io.botfleet.deploy.v1.CreateDeploymentRequest;
import io.botfleet.deploy.v1.Deployment;
import io.botfleet.deploy.v1.DeploymentBot;
import io.botfleet.deploy.v1.DeploymentState;
import io.botfleet.deploy.v1.GateMargins;
import io.botfleet.deploy.v1.GetDeploymentRequest;
import io.botfleet.deploy.v1.GetVersionMapRequest;
import io.botfleet.deploy.v1.ListDeploymentsRequest;
import io.botfleet.deploy.v1.ListDeploymentsResponse;
import io.botfleet.deploy.v1.PauseDeploymentRequest;
import io.botfleet.deploy.v1.ResumeDeploymentRequest;
import io.botfleet.deploy.v1.RollbackDeploymentRequest;
import io.botfleet.deploy.v1.RolloutParameters;
import io.botfleet.deploy.v1.Selector;
import io.botfleet.deploy.v1.Strategy;
import io.botfleet.deploy.v1.VersionBots;
import io.botfleet.fleetctl.CliException;
import io.botfleet.fleetctl.ExitCodes;
import io.botfleet.fleetctl.output.Table;
import io.botfleet.fleetctl.output.Values;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Coordinated deployments (deploy-service, chapter 6). */
@Command(
    name = "deploy",
    header = "Start, follow, pause, resume, abort and roll back deployments; version skew.",
    subcommands = {
      DeployCommand.Start.class,
      DeployCommand.Status.class,
      DeployCommand.ListDeployments.class,
      DeployWatchCommand.class,
      DeployCommand.Pause.class,
      DeployCommand.Resume.class,
      DeployCommand.Abort.class,
      DeployCommand.Rollback.class,
      DeployCommand.Versions.class
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  fleetctl deploy start 1.9.0 --artifact registry.example.com/perp:1.9.0 --group perp-momentum --watch",
      "  fleetctl deploy watch deploy-3f9a1c2b7d4e"
    })
public final class DeployCommand extends GroupCommand {

  static final class Target {
    @Option(names = "--group", paramLabel = "GROUP", description = "Every bot of this group.")
    String group;

    @Option(
        names = "--bot",
        paramLabel = "BOT",
        arity = "1..*",
        description = "These bots (names or ids).")
    List<String> bots;
  }

  @Command(
      name = "start",
      header = "Create and start a deployment (canary by default).",
      footerHeading = "%nExamples:%n",
      footer = {
        "  fleetctl deploy start 1.9.0 --artifact registry.example.com/perp:1.9.0 --group perp-momentum",
        "  fleetctl deploy start 2.5.0 --artifact s3://bots/arb-2.5.0.tgz --group spot-arb --strategy rolling --batch-size 1 --batch-delay 2m --watch"
      })
  static final class Start extends BaseCommand {
    @Parameters(paramLabel = "VERSION", description = "The version, e.g. 1.9.0.")
    String version;

    @Option(
        names = "--artifact",
        required = true,
        paramLabel = "REF",
        description = "Where the bots fetch it.")
    String artifact;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Option(names = "--strategy", description = "canary (default), rolling or all_at_once.")
    String strategy;

    @Option(
        names = "--canary-bake",
        paramLabel = "DURATION",
        description = "Canary bake time (default 30m).")
    String canaryBake;

    @Option(names = "--batch-size", description = "Bots per batch (default 2).")
    Integer batchSize;

    @Option(names = "--batch-percent", description = "Or a percentage of the bots per batch.")
    Integer batchPercent;

    @Option(
        names = "--batch-delay",
        paramLabel = "DURATION",
        description = "Wait and analysis between batches (default 60s).")
    String batchDelay;

    @Option(names = "--max-unavailable", description = "Rolling: most bots updating at once.")
    Integer maxUnavailable;

    @Option(
        names = "--progress-deadline",
        paramLabel = "DURATION",
        description = "Longest a step may take (default 600s).")
    String progressDeadline;

    @Option(
        names = "--abort-on-deadline",
        description = "Abort (instead of pause) on a missed deadline.")
    boolean abortOnDeadline;

    @Option(
        names = "--drain-timeout",
        paramLabel = "DURATION",
        description = "Stateful groups: longest wait for open orders to reach 0.")
    String drainTimeout;

    @Option(
        names = "--error-count-margin",
        description = "Gate: extra errors per heartbeat over the group (default 2).")
    Double errorCountMargin;

    @Option(
        names = "--latency-margin-pct",
        description = "Gate: latency over the group, percent (default 50).")
    Double latencyMarginPct;

    @Option(
        names = "--drawdown-margin-pct",
        description = "Gate: drawdown over the group, points (default 2).")
    Double drawdownMarginPct;

    @Option(
        names = "--plan",
        paramLabel = "FILE",
        description = "A custom plan: a JSON array of RolloutStep (proto JSON).")
    Path plan;

    @Option(names = "--watch", description = "Then follow it as `deploy watch` does.")
    boolean watch;

    @Mixin RequestIdOption requestId;

    @Override
    protected int run(Session session) throws IOException {
      Scope scope =
          target.group != null
              ? Scope.newBuilder().setGroup(target.group).build()
              : Scope.newBuilder()
                  .setBots(BotIds.newBuilder().addAllBotIds(session.bots().ids(target.bots)))
                  .build();
      RolloutParameters.Builder p =
          RolloutParameters.newBuilder().setAbortOnDeadline(abortOnDeadline);
      if (canaryBake != null) p.setCanaryBake(Args.duration(canaryBake, "--canary-bake"));
      if (batchSize != null) p.setBatchSize(batchSize);
      if (batchPercent != null) p.setBatchPercent(batchPercent);
      if (batchDelay != null) p.setBatchDelay(Args.duration(batchDelay, "--batch-delay"));
      if (maxUnavailable != null) p.setMaxUnavailable(maxUnavailable);
      if (progressDeadline != null)
        p.setProgressDeadline(Args.duration(progressDeadline, "--progress-deadline"));
      if (drainTimeout != null) p.setDrainTimeout(Args.duration(drainTimeout, "--drain-timeout"));
      if (errorCountMargin != null || latencyMarginPct != null || drawdownMarginPct != null) {
        GateMargins.Builder m = GateMargins.newBuilder();
        if (errorCountMargin != null) m.setErrorCountMargin(errorCountMargin);
        if (latencyMarginPct != null) m.setLatencyMarginPct(latencyMarginPct);
        if (drawdownMarginPct != null) m.setDrawdownMarginPct(drawdownMarginPct);
        p.setMargins(m);
      }
      CreateDeploymentRequest.Builder request =
          CreateDeploymentRequest.newBuilder()
              .setVersion(version)
              .setArtifactRef(artifact)
              .setSelector(Selector.newBuilder().setScope(scope))
              .setParameters(p)
              .setRequestId(requestId(session, requestId));
      if (strategy != null)
        request.setStrategy(
            Strategy.valueOf(Args.enumValue(Strategy.getDescriptor(), strategy, "--strategy")));
      if (plan != null) {
        String json = Files.readString(plan, StandardCharsets.UTF_8);
        try {
          JsonFormat.parser().merge("{\"steps\": " + json + "}", request);
        } catch (InvalidProtocolBufferException e) {
          throw CliException.invalid("--plan: not a JSON array of RolloutStep: " + e.getMessage());
        }
      }
      Deployment deployment =
          session.clients().deploy().createDeployment(request.build()).getDeployment();
      if (watch) {
        session.note(
            "Deployment "
                + deployment.getId()
                + " started; following it (Ctrl-C stops watching, not the deployment).");
        return DeployWatchCommand.follow(session, deployment.getId());
      }
      session
          .out()
          .print(
              deployment,
              () -> {
                describe(session, deployment);
                session
                    .out()
                    .out()
                    .println("Follow it: fleetctl deploy watch " + deployment.getId());
              });
      return ExitCodes.OK;
    }
  }

  static void describe(Session session, Deployment d) {
    var out = session.out().out();
    out.printf(
        "%s  %s -> %s  %s  (%s, step %d of %d)%n",
        d.getId(),
        Values.text(d.getGroup()),
        d.getVersion(),
        Values.enumName(d.getState()).toUpperCase(),
        Values.enumName(d.getStrategy()),
        d.getCurrentStep() + 1,
        Math.max(1, d.getStepsCount()));
    if (!d.getCanaryBotName().isEmpty()) {
      out.println("canary:    " + d.getCanaryBotName());
    }
    if (!d.getReason().isEmpty()) {
      out.println("reason:    " + d.getReason());
    }
    out.println(
        "requested: " + Values.text(d.getRequestedBy()) + " at " + Values.time(d.getCreateTime()));
    if (d.getBotsCount() > 0) {
      out.println();
      Table table = new Table("BATCH", "BOT", "STATE", "FROM", "UPDATED", "MESSAGE");
      for (DeploymentBot b : d.getBotsList()) {
        table.row(
            b.getBatch() == 0 ? "canary" : b.getBatch(),
            b.getBotName(),
            Values.enumName(b.getState()),
            b.getPreviousVersion(),
            Values.time(b.getUpdateTime()),
            b.getMessage());
      }
      table.print(out);
    }
    for (var gate : d.getGatesList()) {
      out.printf(
          "gate step %d: %s %s%n",
          gate.getStep() + 1,
          Values.enumName(gate.getResult()),
          String.join("; ", gate.getReasonsList()));
    }
  }

  @Command(
      name = "status",
      header = "A deployment: state, bots per batch, gates.",
      footerHeading = "%nExample:%n",
      footer = "  fleetctl deploy status deploy-3f9a1c2b7d4e")
  static final class Status extends BaseCommand {
    @Parameters(paramLabel = "DEPLOYMENT_ID")
    String id;

    @Override
    protected int run(Session session) {
      Deployment d =
          session
              .clients()
              .deploy()
              .getDeployment(GetDeploymentRequest.newBuilder().setDeploymentId(id).build())
              .getDeployment();
      session.out().print(d, () -> describe(session, d));
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "list",
      header = "Deployments (every page), newest first.",
      footerHeading = "%nExample:%n",
      footer = "  fleetctl deploy list --group spot-arb --state canary,rolling,paused")
  static final class ListDeployments extends BaseCommand {
    @Option(names = "--group")
    String group;

    @Option(
        names = "--state",
        split = ",",
        description =
            "pending, canary, rolling, complete, paused, rolling_back, rolled_back, aborted, failed.")
    List<String> states = new ArrayList<>();

    @Option(names = "--limit", description = "At most this many (default 100).")
    int limit = 100;

    @Override
    protected int run(Session session) {
      ListDeploymentsRequest.Builder request =
          ListDeploymentsRequest.newBuilder().setPageSize(Math.min(limit, 1000));
      if (group != null) request.setGroup(group);
      states.forEach(
          s ->
              request.addStates(
                  DeploymentState.valueOf(
                      Args.enumValue(DeploymentState.getDescriptor(), s, "--state"))));
      ListDeploymentsResponse.Builder all = ListDeploymentsResponse.newBuilder();
      String token = "";
      do {
        var page = session.clients().deploy().listDeployments(request.setPageToken(token).build());
        all.addAllDeployments(page.getDeploymentsList());
        token = page.getNextPageToken();
      } while (!token.isEmpty() && all.getDeploymentsCount() < limit);
      var answer = all.build();
      session
          .out()
          .print(
              answer,
              () -> {
                Table table =
                    new Table(
                        "ID",
                        "GROUP",
                        "VERSION",
                        "STRATEGY",
                        "STATE",
                        "CANARY",
                        "CREATED",
                        "ENDED",
                        "BY");
                for (Deployment d : answer.getDeploymentsList()) {
                  table.row(
                      d.getId(),
                      d.getGroup(),
                      d.getVersion(),
                      Values.enumName(d.getStrategy()),
                      Values.enumName(d.getState()),
                      d.getCanaryBotName(),
                      Values.time(d.getCreateTime()),
                      Values.time(d.getEndTime()),
                      d.getRequestedBy());
                }
                table.print(session.out().out());
              });
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "pause",
      header = "Pause an active deployment: nothing more is sent.",
      footerHeading = "%nExample:%n",
      footer = "  fleetctl deploy pause deploy-3f9a1c2b7d4e --reason 'watching the canary'")
  static final class Pause extends BaseCommand {
    @Parameters(paramLabel = "DEPLOYMENT_ID")
    String id;

    @Option(names = "--reason")
    String reason;

    @Override
    protected int run(Session session) {
      PauseDeploymentRequest.Builder request =
          PauseDeploymentRequest.newBuilder().setDeploymentId(id);
      if (reason != null) request.setReason(reason);
      Deployment d = session.clients().deploy().pauseDeployment(request.build()).getDeployment();
      session.out().print(d, () -> describe(session, d));
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "resume",
      header = "Resume a paused deployment (or promote past a manual pause step).",
      footerHeading = "%nExample:%n",
      footer = "  fleetctl deploy resume deploy-3f9a1c2b7d4e")
  static final class Resume extends BaseCommand {
    @Parameters(paramLabel = "DEPLOYMENT_ID")
    String id;

    @Override
    protected int run(Session session) {
      Deployment d =
          session
              .clients()
              .deploy()
              .resumeDeployment(ResumeDeploymentRequest.newBuilder().setDeploymentId(id).build())
              .getDeployment();
      session.out().print(d, () -> describe(session, d));
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "abort",
      header = "Abort: stop where it is; updated bots keep the new version.",
      footerHeading = "%nExample:%n",
      footer = "  fleetctl deploy abort deploy-3f9a1c2b7d4e --reason 'wrong artifact' --yes")
  static final class Abort extends BaseCommand {
    @Parameters(paramLabel = "DEPLOYMENT_ID")
    String id;

    @Option(names = "--reason", required = true)
    String reason;

    @Mixin ConfirmOption confirm;

    @Override
    protected int run(Session session) {
      confirm(session, confirm, "Abort deployment " + id + "? Updated bots keep the new version");
      Deployment d =
          session
              .clients()
              .deploy()
              .abortDeployment(
                  AbortDeploymentRequest.newBuilder().setDeploymentId(id).setReason(reason).build())
              .getDeployment();
      session.out().print(d, () -> describe(session, d));
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "rollback",
      header = "Roll every updated bot back to its previous version.",
      footerHeading = "%nExample:%n",
      footer = "  fleetctl deploy rollback deploy-3f9a1c2b7d4e --reason 'error rate up' --yes")
  static final class Rollback extends BaseCommand {
    @Parameters(paramLabel = "DEPLOYMENT_ID")
    String id;

    @Option(names = "--reason", required = true)
    String reason;

    @Option(names = "--watch", description = "Then follow the rollback.")
    boolean watch;

    @Mixin ConfirmOption confirm;

    @Override
    protected int run(Session session) {
      confirm(session, confirm, "Roll back every bot deployment " + id + " updated?");
      Deployment d =
          session
              .clients()
              .deploy()
              .rollbackDeployment(
                  RollbackDeploymentRequest.newBuilder()
                      .setDeploymentId(id)
                      .setReason(reason)
                      .build())
              .getDeployment();
      if (watch) {
        DeployWatchCommand.follow(session, id);
        return ExitCodes.OK;
      }
      session.out().print(d, () -> describe(session, d));
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "versions",
      header = "Which bots run which version (version skew).",
      footerHeading = "%nExample:%n",
      footer = "  fleetctl deploy versions --group perp-momentum")
  static final class Versions extends BaseCommand {
    @Option(names = "--group")
    String group;

    @Override
    protected int run(Session session) {
      GetVersionMapRequest.Builder request = GetVersionMapRequest.newBuilder();
      if (group != null) request.setGroup(group);
      var answer = session.clients().deploy().getVersionMap(request.build());
      session
          .out()
          .print(
              answer,
              () -> {
                Table table = new Table("VERSION", "BOTS", "NAMES");
                for (VersionBots v : answer.getVersionsList()) {
                  table.row(
                      v.getVersion(), v.getBotNamesCount(), String.join(", ", v.getBotNamesList()));
                }
                table.print(session.out().out());
                session
                    .out()
                    .out()
                    .println(
                        answer.getSkew()
                            ? "Version skew: more than one version runs."
                            : "No skew.");
              });
      return ExitCodes.OK;
    }
  }
}
