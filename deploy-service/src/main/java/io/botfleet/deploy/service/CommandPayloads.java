package io.botfleet.deploy.service;

import io.botfleet.deploy.domain.RolloutPlan;
import io.botfleet.deploy.domain.RolloutStep;
import io.botfleet.deploy.persistence.DeploymentBotEntity;
import io.botfleet.deploy.persistence.DeploymentEntity;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The guide's command payloads, and the idempotency keys that make every send repeatable after a
 * crash: a key names what was decided (which deployment, which batch, which bots), so the same
 * decision re-sent returns the command fleet-service already stored.
 */
final class CommandPayloads {

  static final String UPDATE_VERSION = "update_version";
  static final String ROLLBACK_VERSION = "rollback_version";

  private CommandPayloads() {}

  /**
   * update_version: {new_version, deployment_id, role, artifact_ref, batch} and, for a canary,
   * monitoring_duration_minutes (how long it will be watched).
   */
  static Map<String, Object> update(
      DeploymentEntity d, RolloutPlan plan, int stepIndex, int batch) {
    RolloutStep.Update step = (RolloutStep.Update) plan.steps().get(stepIndex);
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("new_version", d.version);
    payload.put("deployment_id", d.id);
    payload.put("role", step.role());
    payload.put("artifact_ref", d.artifactRef);
    payload.put("batch", batch);
    if (step.canary()) {
      Optional<RolloutStep> next = plan.step(stepIndex + 1);
      if (next.isPresent() && next.get() instanceof RolloutStep.Analysis a) {
        payload.put("monitoring_duration_minutes", a.duration().toMillis() / 60_000.0);
      }
    }
    return payload;
  }

  /**
   * rollback_version: {deployment_id, reason deployment_rollback, previous_version (what to return
   * to), previous_artifact_ref (when a deployment of ours shipped it), detail (why)}.
   */
  static Map<String, Object> rollback(DeploymentEntity d, DeploymentBotEntity bot) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("deployment_id", d.id);
    payload.put("reason", "deployment_rollback");
    payload.put("previous_version", bot.previousVersion);
    if (bot.previousArtifactRef != null) {
      payload.put("previous_artifact_ref", bot.previousArtifactRef);
    }
    payload.put("detail", d.reason == null ? "" : d.reason);
    return payload;
  }

  /** The idempotency key of update_version to these bots of a batch. */
  static String updateKey(DeploymentEntity d, int batch, List<String> botIds) {
    return d.id + ":update:" + batch + ":" + digest(botIds);
  }

  /** The idempotency key of the pause that drains a bot. */
  static String drainKey(DeploymentEntity d, String botId) {
    return d.id + ":drain:" + botId;
  }

  /** The idempotency key of the resume after a bot's drain. */
  static String resumeKey(DeploymentEntity d, String botId) {
    return d.id + ":resume:" + botId;
  }

  private static String digest(List<String> botIds) {
    try {
      byte[] hash =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(
                  String.join(",", botIds.stream().sorted().toList())
                      .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash).substring(0, 16);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
