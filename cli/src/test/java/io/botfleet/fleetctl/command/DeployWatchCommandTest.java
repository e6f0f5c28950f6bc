package io.botfleet.fleetctl.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.botfleet.deploy.v1.BotDeploymentState;
import io.botfleet.deploy.v1.Deployment;
import io.botfleet.deploy.v1.DeploymentBot;
import io.botfleet.deploy.v1.DeploymentState;
import io.botfleet.deploy.v1.WatchDeploymentResponse;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What `deploy watch` draws: a progress bar per batch. */
class DeployWatchCommandTest {

  @Test
  void aBarIsFilledByTheShareOfBotsDone() {
    assertThat(DeployWatchCommand.bar(0, 4, 8)).isEqualTo("[........]");
    assertThat(DeployWatchCommand.bar(1, 2, 8)).isEqualTo("[####....]");
    assertThat(DeployWatchCommand.bar(4, 4, 8)).isEqualTo("[########]");
    assertThat(DeployWatchCommand.bar(0, 0, 4)).isEqualTo("[....]");
  }

  @Test
  void eachBatchHasItsOwnLineWithItsStates() {
    Deployment deployment =
        Deployment.newBuilder()
            .setId("deploy-3f9a1c2b7d4e")
            .setGroup("spot-arb")
            .setVersion("2.5.0")
            .setState(DeploymentState.DEPLOYMENT_STATE_ROLLING)
            .addAllBots(
                List.of(
                    bot("bot-a", 0, BotDeploymentState.BOT_DEPLOYMENT_STATE_UPDATED),
                    bot("bot-b", 1, BotDeploymentState.BOT_DEPLOYMENT_STATE_UPDATED),
                    bot("bot-c", 1, BotDeploymentState.BOT_DEPLOYMENT_STATE_UPDATING),
                    bot("bot-d", 2, BotDeploymentState.BOT_DEPLOYMENT_STATE_WAITING),
                    bot("bot-e", -1, BotDeploymentState.BOT_DEPLOYMENT_STATE_SKIPPED)))
            .build();
    StringWriter text = new StringWriter();

    DeployWatchCommand.render(
        new PrintWriter(text),
        WatchDeploymentResponse.newBuilder()
            .setDeployment(deployment)
            .setMessage("batch 1 updating")
            .build());

    assertThat(text.toString().lines())
        .containsSubsequence(
            "deploy-3f9a1c2b7d4e spot-arb -> 2.5.0 ROLLING 2/5 updated",
            "canary   [####################]  1/1  updated 1",
            "batch 1  [##########..........]  1/2  updated 1, updating 1",
            "batch 2  [....................]  0/1  waiting 1");
    assertThat(text.toString()).contains("left out [####################]  1/1  skipped 1");
    assertThat(text.toString()).contains("batch 1 updating");
  }

  private static DeploymentBot bot(String id, int batch, BotDeploymentState state) {
    return DeploymentBot.newBuilder().setBotId(id).setBatch(batch).setState(state).build();
  }
}
