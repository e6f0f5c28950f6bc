package io.botfleet.deploy.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.botfleet.deploy.domain.GateMargins;
import io.botfleet.deploy.domain.RolloutParameters;
import io.botfleet.deploy.domain.RolloutPlan;
import io.botfleet.deploy.domain.RolloutStep;
import io.botfleet.deploy.domain.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON forms of a deployment's selector, parameters and plan in the {@code deployments} table.
 * Written by hand (not by annotations on the domain types) so the stored form is stable and the
 * domain stays plain Java. Durations are stored in milliseconds.
 */
public final class PlanJson {

  private static final ObjectMapper JSON = new ObjectMapper();

  private PlanJson() {}

  /** The selector's JSON. */
  public static String write(Selector selector) {
    ObjectNode node = JSON.createObjectNode();
    if (selector.isGroup()) {
      node.put("group", selector.group());
    } else {
      ArrayNode ids = node.putArray("bot_ids");
      selector.botIds().forEach(ids::add);
    }
    return node.toString();
  }

  /** A selector from its JSON. */
  public static Selector readSelector(String json) {
    JsonNode node = parse(json);
    if (node.hasNonNull("group")) {
      return Selector.group(node.get("group").asText());
    }
    List<String> ids = new ArrayList<>();
    node.path("bot_ids").forEach(id -> ids.add(id.asText()));
    return Selector.bots(ids);
  }

  /** The parameters' JSON. */
  public static String write(RolloutParameters p) {
    ObjectNode node = JSON.createObjectNode();
    node.put("canary_bake_ms", p.canaryBake().toMillis());
    node.put("batch_size", p.batchSize());
    node.put("batch_percent", p.batchPercent());
    node.put("batch_delay_ms", p.batchDelay().toMillis());
    node.put("max_unavailable", p.maxUnavailable());
    node.put("progress_deadline_ms", p.progressDeadline().toMillis());
    node.put("abort_on_deadline", p.abortOnDeadline());
    node.set("margins", write(p.margins()));
    node.put("drain_timeout_ms", p.drainTimeout().toMillis());
    return node.toString();
  }

  /** Parameters from their JSON (an empty object gives the defaults). */
  public static RolloutParameters readParameters(String json) {
    JsonNode n = parse(json);
    return new RolloutParameters(
            millis(n, "canary_bake_ms"),
            n.path("batch_size").asInt(0),
            n.path("batch_percent").asInt(0),
            millis(n, "batch_delay_ms"),
            n.path("max_unavailable").asInt(0),
            millis(n, "progress_deadline_ms"),
            n.path("abort_on_deadline").asBoolean(false),
            n.has("margins") ? readMargins(n.get("margins")) : null,
            millis(n, "drain_timeout_ms"))
        .withDefaults();
  }

  /** The plan's JSON. */
  public static String write(RolloutPlan plan) {
    ArrayNode steps = JSON.createArrayNode();
    for (RolloutStep step : plan.steps()) {
      ObjectNode node = steps.addObject();
      if (step instanceof RolloutStep.Update u) {
        ObjectNode update = node.putObject("update");
        update.put("count", u.count());
        update.put("percent", u.percent());
        update.put("role", u.role());
      } else if (step instanceof RolloutStep.Pause p) {
        ObjectNode pause = node.putObject("pause");
        if (p.duration() != null) {
          pause.put("duration_ms", p.duration().toMillis());
        }
      } else if (step instanceof RolloutStep.Analysis a) {
        ObjectNode analysis = node.putObject("analysis");
        analysis.put("duration_ms", a.duration().toMillis());
        analysis.set("margins", write(a.margins()));
      }
    }
    return steps.toString();
  }

  /** A plan from its JSON. */
  public static RolloutPlan readPlan(String json) {
    List<RolloutStep> steps = new ArrayList<>();
    for (JsonNode node : parse(json)) {
      if (node.has("update")) {
        JsonNode u = node.get("update");
        steps.add(
            new RolloutStep.Update(
                u.path("count").asInt(0), u.path("percent").asInt(0), u.path("role").asText()));
      } else if (node.has("pause")) {
        steps.add(new RolloutStep.Pause(millis(node.get("pause"), "duration_ms")));
      } else if (node.has("analysis")) {
        JsonNode a = node.get("analysis");
        steps.add(
            new RolloutStep.Analysis(millis(a, "duration_ms"), readMargins(a.path("margins"))));
      }
    }
    return new RolloutPlan(steps);
  }

  private static ObjectNode write(GateMargins m) {
    ObjectNode node = JSON.createObjectNode();
    node.put("error_count", m.errorCount());
    node.put("latency_pct", m.latencyPct());
    node.put("drawdown_pct", m.drawdownPct());
    return node;
  }

  private static GateMargins readMargins(JsonNode n) {
    return new GateMargins(
            n.path("error_count").asDouble(0),
            n.path("latency_pct").asDouble(0),
            n.path("drawdown_pct").asDouble(0))
        .orElse(GateMargins.DEFAULT);
  }

  private static Duration millis(JsonNode node, String field) {
    return node.hasNonNull(field) ? Duration.ofMillis(node.get(field).asLong()) : null;
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json == null || json.isBlank() ? "{}" : json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable deployment JSON: " + json, e);
    }
  }
}
