package io.botfleet.devkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local stand-in for the GreenHelix API that holds botfleet to its wire format (SEED-SPEC and
 * docs/greenhelix.md): {@code POST /v1}, a bearer key, an Idempotency-Key, a JSON body of exactly
 * {"tool", "input"}, a known tool, the input fields that tool takes with their JSON types, and an
 * event published after its type's schema was created carrying what that schema requires. A call
 * that breaks any rule is answered 400 (401 for the key) and recorded as a violation, so a test can
 * assert there were none. It can be told to fail, to test outages, and it keeps a small agent
 * registry so register_agent and get_agent_identity behave.
 */
public final class GreenHelixStandIn implements AutoCloseable {

  /**
   * A call as received.
   *
   * @param tool the tool
   * @param input its input
   * @param idempotencyKey the Idempotency-Key header
   * @param status what the stand-in answered
   * @param replay true if this idempotency key was seen before
   */
  public record Call(
      String tool, JsonNode input, String idempotencyKey, int status, boolean replay) {}

  private enum Type {
    STRING,
    NUMBER,
    OBJECT,
    ARRAY_OF_STRINGS
  }

  /** Each tool's required input fields and their JSON types. */
  private static final Map<String, Map<String, Type>> TOOLS =
      Map.ofEntries(
          Map.entry(
              "register_agent",
              Map.of(
                  "name", Type.STRING,
                  "description", Type.STRING,
                  "capabilities", Type.ARRAY_OF_STRINGS,
                  "metadata", Type.OBJECT)),
          Map.entry("get_agent_identity", Map.of("agent_id", Type.STRING)),
          Map.entry("submit_metrics", Map.of("agent_id", Type.STRING, "metrics", Type.OBJECT)),
          Map.entry("get_sla_compliance", Map.of("agent_id", Type.STRING, "sla", Type.OBJECT)),
          Map.entry(
              "send_message",
              Map.of(
                  "from_agent_id", Type.STRING,
                  "to_agent_id", Type.STRING,
                  "message_type", Type.STRING,
                  "payload", Type.OBJECT)),
          Map.entry(
              "register_webhook",
              Map.of(
                  "agent_id", Type.STRING,
                  "event_types", Type.ARRAY_OF_STRINGS,
                  "url", Type.STRING,
                  "secret", Type.STRING)),
          Map.entry(
              "search_agents_by_metrics", Map.of("metric", Type.STRING, "threshold", Type.NUMBER)),
          Map.entry("get_agent_reputation", Map.of("agent_id", Type.STRING)),
          Map.entry(
              "create_event_schema", Map.of("event_type", Type.STRING, "schema", Type.OBJECT)),
          Map.entry(
              "publish_event",
              Map.of("agent_id", Type.STRING, "event_type", Type.STRING, "payload", Type.OBJECT)));

  private final ObjectMapper json = new ObjectMapper();
  private final HttpServer server;
  private final String apiKey;
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final List<String> violations = new CopyOnWriteArrayList<>();
  private final Map<String, JsonNode> answersByKey = new ConcurrentHashMap<>();
  private final Map<String, ObjectNode> agents = new ConcurrentHashMap<>();
  // Event schemas created so far, by event type: later publish_event payloads are checked.
  private final Map<String, JsonNode> schemas = new ConcurrentHashMap<>();
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private final AtomicInteger agentCounter = new AtomicInteger();
  private volatile int failureStatus = 503;

  private GreenHelixStandIn(String apiKey) throws IOException {
    this.apiKey = apiKey;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();
  }

  /** Starts a stand-in on a free loopback port that accepts {@code apiKey}. */
  public static GreenHelixStandIn start(String apiKey) {
    try {
      return new GreenHelixStandIn(apiKey);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the GreenHelix stand-in", e);
    }
  }

  /** The base URL to configure as botfleet.greenhelix.url. */
  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Every call received, valid or not, in order. */
  public List<Call> calls() {
    return List.copyOf(calls);
  }

  /** The calls of one tool that were accepted (2xx), replays excluded. */
  public List<Call> accepted(String tool) {
    return calls.stream()
        .filter(c -> c.tool().equals(tool) && c.status() / 100 == 2 && !c.replay())
        .toList();
  }

  /** Every wire-format violation seen, one line each. A correct client leaves this empty. */
  public List<String> violations() {
    return List.copyOf(violations);
  }

  /** Answers the next {@code count} well-formed calls with {@code status} (an outage). */
  public void failNext(int count, int status) {
    failureStatus = status;
    failuresLeft.set(count);
  }

  /** Changes the public key the registry holds for an agent (to simulate tampering). */
  public void tamper(String agentId, String publicKey) {
    agents.computeIfPresent(
        agentId,
        (id, agent) -> {
          ((ObjectNode) agent.get("metadata")).put("public_key", publicKey);
          return agent;
        });
  }

  /** Forgets every call and violation (the registry stays). */
  public void clear() {
    calls.clear();
    violations.clear();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String problem = checkEnvelope(exchange);
      if (problem != null) {
        reject(exchange, problem.startsWith("401") ? 401 : 400, problem, null, null);
        return;
      }
      JsonNode body;
      try {
        body = json.readTree(exchange.getRequestBody());
      } catch (IOException e) {
        reject(exchange, 400, "body is not JSON", null, null);
        return;
      }
      String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
      Optional<String> bodyProblem = checkBody(body);
      String tool = body != null && body.path("tool").isTextual() ? body.get("tool").asText() : "?";
      if (bodyProblem.isPresent()) {
        reject(exchange, 400, bodyProblem.get(), tool, body);
        return;
      }
      JsonNode input = body.get("input");
      JsonNode earlier = answersByKey.get(key);
      if (earlier != null) {
        calls.add(new Call(tool, input, key, 200, true));
        send(exchange, 200, earlier);
        return;
      }
      if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        calls.add(new Call(tool, input, key, failureStatus, false));
        send(exchange, failureStatus, json.createObjectNode().put("error", "stand-in outage"));
        return;
      }
      JsonNode answer = answer(tool, input);
      answersByKey.put(key, answer);
      calls.add(new Call(tool, input, key, 200, false));
      send(exchange, 200, answer);
    }
  }

  private String checkEnvelope(HttpExchange exchange) {
    if (!"POST".equals(exchange.getRequestMethod())) {
      return "method must be POST, got " + exchange.getRequestMethod();
    }
    if (!"/v1".equals(exchange.getRequestURI().getPath())) {
      return "path must be /v1, got " + exchange.getRequestURI().getPath();
    }
    String auth = exchange.getRequestHeaders().getFirst("Authorization");
    if (auth == null || !auth.equals("Bearer " + apiKey)) {
      return "401 Authorization must be 'Bearer <api key>'";
    }
    String type = exchange.getRequestHeaders().getFirst("Content-Type");
    if (type == null || !type.startsWith("application/json")) {
      return "Content-Type must be application/json, got " + type;
    }
    String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
    if (key == null || key.isBlank()) {
      return "Idempotency-Key header is missing";
    }
    return null;
  }

  private Optional<String> checkBody(JsonNode body) {
    if (body == null || !body.isObject()) {
      return Optional.of("body must be a JSON object");
    }
    List<String> names = new ArrayList<>();
    body.fieldNames().forEachRemaining(names::add);
    if (names.size() != 2 || !body.has("tool") || !body.has("input")) {
      return Optional.of("body must have exactly the fields tool and input, got " + names);
    }
    if (!body.get("tool").isTextual()) {
      return Optional.of("tool must be a string");
    }
    String tool = body.get("tool").asText();
    Map<String, Type> fields = TOOLS.get(tool);
    if (fields == null) {
      return Optional.of("unknown tool " + tool);
    }
    JsonNode input = body.get("input");
    if (!input.isObject()) {
      return Optional.of(tool + ": input must be an object");
    }
    for (Map.Entry<String, Type> field : fields.entrySet()) {
      JsonNode value = input.get(field.getKey());
      if (value == null || value.isNull()) {
        return Optional.of(tool + ": input." + field.getKey() + " is missing");
      }
      if (!hasType(value, field.getValue())) {
        return Optional.of(
            tool
                + ": input."
                + field.getKey()
                + " must be "
                + field.getValue().name().toLowerCase());
      }
    }
    if (tool.equals("send_message")) {
      String type = input.get("message_type").asText();
      if (!type.equals("command") && !type.equals("alert")) {
        return Optional.of("send_message: message_type must be command or alert, got " + type);
      }
    }
    if (tool.equals("publish_event") && !input.get("event_type").asText().startsWith("fleet.")) {
      return Optional.of("publish_event: event_type must be a fleet.* type");
    }
    if (tool.equals("publish_event")) {
      return checkAgainstSchema(input.get("event_type").asText(), input.get("payload"));
    }
    return Optional.empty();
  }

  /**
   * An event published for a type whose schema was created must carry every required property with
   * its declared JSON type, as a registry that validates events would insist.
   */
  private Optional<String> checkAgainstSchema(String eventType, JsonNode payload) {
    JsonNode schema = schemas.get(eventType);
    if (schema == null) {
      return Optional.empty();
    }
    JsonNode properties = schema.path("properties");
    for (JsonNode required : schema.path("required")) {
      String name = required.asText();
      JsonNode value = payload.get(name);
      if (value == null || value.isNull()) {
        return Optional.of(
            "publish_event: " + eventType + " payload." + name + " is required by its schema");
      }
      String type = properties.path(name).path("type").asText("");
      boolean matches =
          switch (type) {
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            case "array" -> value.isArray();
            case "object" -> value.isObject();
            default -> true;
          };
      if (!matches) {
        return Optional.of(
            "publish_event: "
                + eventType
                + " payload."
                + name
                + " must be "
                + type
                + " by its schema, got "
                + value.getNodeType().name().toLowerCase());
      }
    }
    return Optional.empty();
  }

  private static boolean hasType(JsonNode value, Type type) {
    return switch (type) {
      case STRING -> value.isTextual() && !value.asText().isBlank();
      case NUMBER -> value.isNumber();
      case OBJECT -> value.isObject();
      case ARRAY_OF_STRINGS -> {
        if (!value.isArray()) {
          yield false;
        }
        for (JsonNode item : value) {
          if (!item.isTextual()) {
            yield false;
          }
        }
        yield true;
      }
    };
  }

  private JsonNode answer(String tool, JsonNode input) {
    ObjectNode answer = json.createObjectNode();
    switch (tool) {
      case "register_agent" -> {
        String id = "gh-agent-" + agentCounter.incrementAndGet();
        ObjectNode agent = json.createObjectNode();
        agent.put("agent_id", id);
        agent.set("name", input.get("name"));
        agent.set("metadata", input.get("metadata").deepCopy());
        agents.put(id, agent);
        answer.put("agent_id", id);
      }
      case "get_agent_identity" -> {
        ObjectNode agent = agents.get(input.get("agent_id").asText());
        if (agent == null) {
          answer.put("error", "agent not found");
        } else {
          answer.setAll(agent);
          answer.set("public_key", agent.get("metadata").path("public_key"));
        }
      }
      case "get_agent_reputation" -> {
        answer.set("agent_id", input.get("agent_id"));
        answer.put("reputation_score", 90.0);
      }
      case "search_agents_by_metrics" -> answer.set("agents", json.createArrayNode());
      case "create_event_schema" -> {
        schemas.put(input.get("event_type").asText(), input.get("schema").deepCopy());
        answer.put("ok", true);
      }
      default -> answer.put("ok", true);
    }
    return answer;
  }

  private void reject(HttpExchange exchange, int status, String problem, String tool, JsonNode body)
      throws IOException {
    violations.add(problem);
    calls.add(
        new Call(
            tool == null ? "?" : tool,
            body == null ? null : body.get("input"),
            exchange.getRequestHeaders().getFirst("Idempotency-Key"),
            status,
            false));
    send(exchange, status, json.createObjectNode().put("error", problem));
  }

  private void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
    byte[] bytes = json.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public String toString() {
    return "GreenHelixStandIn[" + url() + ", " + calls.size() + " calls]";
  }
}
