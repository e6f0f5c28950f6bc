package io.botfleet.fleet.rest;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.examples.Example;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

/** The problem+json schema and the error answers every route may give, for the OpenAPI document. */
final class ProblemSchemas {

  private ProblemSchemas() {}

  /** HTTP status → "reason|field|detail" of its example. */
  static final Map<String, String> PROBLEMS = new LinkedHashMap<>();

  static {
    PROBLEMS.put("400", "INVALID_ARGUMENT|scope|scope: set exactly one of fleet, group or bots");
    PROBLEMS.put("401", "REQUEST_NOT_AUTHENTICATED||bf-signature does not verify");
    PROBLEMS.put(
        "403",
        "ACCESS_DENIED||an operator with role VIEWER may not call botfleet.fleet.v1.FleetService/PauseBots");
    PROBLEMS.put("404", "BOT_NOT_FOUND||no bot bot-0123456789abcdef");
    PROBLEMS.put("409", "DEPLOYMENT_ACTIVE||group spot-arb has an active deployment");
    PROBLEMS.put("503", "DEPLOY_UNAVAILABLE||deploy-service CreateDeployment: connection refused");
    PROBLEMS.put("504", "DEPLOY_UNAVAILABLE||deploy-service CreateDeployment: deadline exceeded");
  }

  /** Adds the Problem schema and one response per status to {@code components}. */
  static void addTo(Components components) {
    components.addSchema("Problem", problemSchema());
    for (var entry : PROBLEMS.entrySet()) {
      String[] parts = entry.getValue().split("\\|", -1);
      components.addResponse("Problem" + entry.getKey(), problemResponse(entry.getKey(), parts));
    }
  }

  private static Schema problemSchema() {
    Schema violation =
        OASFactory.createSchema()
            .addType(SchemaType.OBJECT)
            .addProperty("field", string("the request field at fault"))
            .addProperty("description", string("what is wrong with it"));
    return OASFactory.createSchema()
        .addType(SchemaType.OBJECT)
        .description("RFC 9457 problem details, with botfleet's reason and field")
        .addProperty("type", string("https://botfleet.io/problems/<reason in kebab case>"))
        .addProperty("title", string("the HTTP status text"))
        .addProperty(
            "status", OASFactory.createSchema().addType(SchemaType.INTEGER).format("int32"))
        .addProperty("detail", string("what went wrong, for a human"))
        .addProperty("reason", string("botfleet's stable UPPER_SNAKE reason"))
        .addProperty("grpc_status", string("the gRPC status of the RPC the route maps to"))
        .addProperty("field", string("for invalid input: the first field at fault"))
        .addProperty(
            "violations", OASFactory.createSchema().addType(SchemaType.ARRAY).items(violation))
        .addProperty(
            "metadata",
            OASFactory.createSchema()
                .addType(SchemaType.OBJECT)
                .additionalPropertiesSchema(string("ids that explain the error")));
  }

  private static APIResponse problemResponse(String status, String[] parts) {
    int code = Integer.parseInt(status);
    String reason = parts[0];
    String field = parts[1];
    String detail = parts[2];
    StringBuilder example =
        new StringBuilder()
            .append("{\"type\": \"")
            .append(ProblemMapper.TYPE_BASE)
            .append(reason.toLowerCase(Locale.ROOT).replace('_', '-'))
            .append("\", \"status\": ")
            .append(code)
            .append(", \"detail\": \"")
            .append(detail)
            .append("\", \"reason\": \"")
            .append(reason)
            .append("\"");
    if (!field.isEmpty()) {
      example.append(", \"field\": \"").append(field).append("\"");
    }
    example.append("}");
    Example value = OASFactory.createExample().value(example.toString());
    return OASFactory.createAPIResponse()
        .description("problem+json (docs/rest-gateway.md, Errors)")
        .content(
            OASFactory.createContent()
                .addMediaType(
                    ProblemMapper.PROBLEM_JSON,
                    OASFactory.createMediaType()
                        .schema(OASFactory.createSchema().ref("#/components/schemas/Problem"))
                        .addExample(reason, value)));
  }

  private static Schema string(String description) {
    return OASFactory.createSchema().addType(SchemaType.STRING).description(description);
  }
}
