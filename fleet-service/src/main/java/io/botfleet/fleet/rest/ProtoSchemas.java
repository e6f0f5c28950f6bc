package io.botfleet.fleet.rest;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import io.botfleet.billing.v1.CalculateRoiRequest;
import io.botfleet.common.v1.Access;
import io.botfleet.common.v1.AccessProto;
import io.botfleet.common.v1.OperatorRole;
import io.botfleet.deploy.v1.CreateDeploymentRequest;
import io.botfleet.fleet.v1.GetBotRequest;
import io.botfleet.health.v1.GetFleetHealthDashboardRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;
import org.eclipse.microprofile.openapi.models.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

/**
 * Completes the OpenAPI document from the protos, so it cannot drift from them: a JSON schema per
 * request and response message (proto3 JSON mapping, snake_case names), each route's RPC and its
 * access rule (from the route's {@code x-botfleet-rpc} extension), the five signature headers as
 * security schemes, and the problem+json answers every route may give.
 */
public class ProtoSchemas implements OASFilter {

  /** The extension naming the RPC a route maps to. */
  static final String RPC = "x-botfleet-rpc";

  private static final List<FileDescriptor> FILES =
      List.of(
          GetBotRequest.getDescriptor().getFile(),
          CreateDeploymentRequest.getDescriptor().getFile(),
          CalculateRoiRequest.getDescriptor().getFile(),
          GetFleetHealthDashboardRequest.getDescriptor().getFile());

  private static final List<String> HEADERS =
      List.of("bf-agent", "bf-key-version", "bf-timestamp", "bf-nonce", "bf-signature");

  @Override
  public Operation filterOperation(Operation operation) {
    Object rpc = operation.getExtensions() == null ? null : operation.getExtensions().get(RPC);
    if (rpc != null) {
      MethodDescriptor method = method(rpc.toString());
      String rule = method == null ? "no access rule: refused" : rule(method);
      String description = operation.getDescription() == null ? "" : operation.getDescription();
      operation.setDescription(
          (description.isEmpty() ? "" : description + "\n\n")
              + "Maps to `"
              + rpc
              + "`. Access: "
              + rule
              + ".");
    }
    if (operation.getResponses() != null) {
      ProblemSchemas.PROBLEMS.forEach(
          (status, ignored) -> {
            if (operation.getResponses().getAPIResponse(status) == null) {
              operation
                  .getResponses()
                  .addAPIResponse(
                      status,
                      OASFactory.createAPIResponse()
                          .ref("#/components/responses/Problem" + status));
            }
          });
    }
    return operation;
  }

  @Override
  public void filterOpenAPI(OpenAPI openAPI) {
    Components components = openAPI.getComponents();
    if (components == null) {
      components = OASFactory.createComponents();
      openAPI.setComponents(components);
    }
    Map<String, Schema> schemas = new LinkedHashMap<>();
    for (FileDescriptor file : FILES) {
      for (var service : file.getServices()) {
        for (MethodDescriptor method : service.getMethods()) {
          add(method.getInputType(), schemas);
          add(method.getOutputType(), schemas);
        }
      }
    }
    schemas.forEach(components::addSchema);
    ProblemSchemas.addTo(components);
    SecurityRequirement all = OASFactory.createSecurityRequirement();
    for (String header : HEADERS) {
      components.addSecurityScheme(
          header,
          OASFactory.createSecurityScheme()
              .type(SecurityScheme.Type.APIKEY)
              .in(SecurityScheme.In.HEADER)
              .name(header)
              .description("docs/protocol.md, \"Signing an HTTP request\""));
      all.addScheme(header);
    }
    openAPI.addSecurityRequirement(all);
  }

  /** The schema name of a message: its full name without the "botfleet." prefix. */
  static String name(Descriptor type) {
    return type.getFullName().replaceFirst("^botfleet\\.", "");
  }

  private static void add(Descriptor type, Map<String, Schema> schemas) {
    String name = name(type);
    if (schemas.containsKey(name) || wellKnown(type.getFullName()) != null) {
      return;
    }
    Schema schema = OASFactory.createSchema().addType(SchemaType.OBJECT);
    schemas.put(name, schema);
    for (FieldDescriptor field : type.getFields()) {
      schema.addProperty(field.getName(), field(field, schemas));
    }
  }

  private static Schema field(FieldDescriptor field, Map<String, Schema> schemas) {
    if (field.isMapField()) {
      FieldDescriptor value = field.getMessageType().findFieldByName("value");
      return OASFactory.createSchema()
          .addType(SchemaType.OBJECT)
          .additionalPropertiesSchema(single(value, schemas));
    }
    Schema one = single(field, schemas);
    return field.isRepeated()
        ? OASFactory.createSchema().addType(SchemaType.ARRAY).items(one)
        : one;
  }

  private static Schema single(FieldDescriptor field, Map<String, Schema> schemas) {
    Schema schema = OASFactory.createSchema();
    switch (field.getJavaType()) {
      case STRING -> schema.addType(SchemaType.STRING);
      case BOOLEAN -> schema.addType(SchemaType.BOOLEAN);
      case INT -> schema.addType(SchemaType.INTEGER).format("int32");
      // proto3 JSON writes 64-bit integers as strings (JavaScript numbers lose precision).
      case LONG -> schema.addType(SchemaType.STRING).format("int64");
      case FLOAT, DOUBLE -> schema.addType(SchemaType.NUMBER);
      case BYTE_STRING -> schema.addType(SchemaType.STRING).format("byte");
      case ENUM -> {
        schema.addType(SchemaType.STRING);
        List<Object> values = new ArrayList<>();
        field.getEnumType().getValues().forEach(v -> values.add(v.getName()));
        schema.enumeration(values);
      }
      case MESSAGE -> {
        Schema known = wellKnown(field.getMessageType().getFullName());
        if (known != null) {
          return known;
        }
        add(field.getMessageType(), schemas);
        schema.ref("#/components/schemas/" + name(field.getMessageType()));
      }
    }
    return schema;
  }

  private static Schema wellKnown(String fullName) {
    return switch (fullName) {
      case "google.protobuf.Timestamp" ->
          OASFactory.createSchema()
              .addType(SchemaType.STRING)
              .format("date-time")
              .description("RFC 3339, e.g. 2026-11-25T03:00:00Z");
      case "google.protobuf.Duration" ->
          OASFactory.createSchema()
              .addType(SchemaType.STRING)
              .description("seconds with an s suffix, e.g. 3600s or 1.5s");
      case "google.protobuf.Struct" ->
          OASFactory.createSchema().addType(SchemaType.OBJECT).description("any JSON object");
      case "google.protobuf.Value" -> OASFactory.createSchema().description("any JSON value");
      default -> null;
    };
  }

  private static MethodDescriptor method(String fullMethod) {
    String[] parts = fullMethod.split("/");
    for (FileDescriptor file : FILES) {
      for (var service : file.getServices()) {
        if (service.getFullName().equals(parts[0])) {
          return service.findMethodByName(parts[1]);
        }
      }
    }
    return null;
  }

  private static String rule(MethodDescriptor method) {
    if (!method.getOptions().hasExtension(AccessProto.access)) {
      return "none (refused)";
    }
    Access access = method.getOptions().getExtension(AccessProto.access);
    List<String> who = new ArrayList<>();
    if (access.getMinOperatorRole() != OperatorRole.OPERATOR_ROLE_UNSPECIFIED) {
      who.add(
          "operators with role "
              + access.getMinOperatorRole().name().replace("OPERATOR_ROLE_", "")
              + " or higher");
    }
    if (access.getBotSelf()) {
      who.add("a bot about itself");
    }
    return who.isEmpty() ? "no operator" : String.join("; ", who);
  }
}
