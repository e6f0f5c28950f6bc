package io.botfleet.fleet.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.botfleet.common.error.BotfleetException;
import io.botfleet.common.error.InvalidArgumentException;
import io.botfleet.common.grpc.GrpcErrors;
import io.botfleet.common.grpc.RemoteUnavailableException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.logging.Log;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every failure of a REST route as {@code application/problem+json} (RFC 9457): {@code type},
 * {@code title}, {@code status}, {@code detail}, plus botfleet's {@code reason}, the gRPC status
 * the route's RPC failed with ({@code grpc_status}), the {@code field} at fault and every {@code
 * violations} entry for invalid input, and the error's {@code metadata} (ids). The HTTP status
 * follows the table in docs/rest-gateway.md.
 */
@Provider
public class ProblemMapper implements ExceptionMapper<Throwable> {

  /** The media type of every error. */
  public static final String PROBLEM_JSON = "application/problem+json";

  /** Where a reason's problem type URI points (reasons are listed in docs/rest-gateway.md). */
  static final String TYPE_BASE = "https://botfleet.io/problems/";

  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public Response toResponse(Throwable failure) {
    if (failure instanceof BotfleetException e) {
      return fromBotfleet(e);
    }
    if (failure instanceof StatusRuntimeException e) {
      return fromStatus(e);
    }
    if (failure instanceof WebApplicationException e) {
      return fromHttp(e);
    }
    Log.errorf(failure, "Unexpected failure of a REST route, answered 500");
    return problem(
        Status.Code.INTERNAL,
        500,
        "INTERNAL",
        "internal error; see the service log",
        Map.of(),
        List.of());
  }

  /** The HTTP status of a gRPC status code. */
  public static int httpStatus(Status.Code code) {
    return switch (code) {
      case OK -> 200;
      case INVALID_ARGUMENT, OUT_OF_RANGE -> 400;
      case UNAUTHENTICATED -> 401;
      case PERMISSION_DENIED -> 403;
      case NOT_FOUND -> 404;
      case ALREADY_EXISTS, FAILED_PRECONDITION, ABORTED -> 409;
      case RESOURCE_EXHAUSTED -> 429;
      case CANCELLED -> 499;
      case UNIMPLEMENTED -> 501;
      case UNAVAILABLE -> 503;
      case DEADLINE_EXCEEDED -> 504;
      case UNKNOWN, INTERNAL, DATA_LOSS -> 500;
    };
  }

  private static Response fromBotfleet(BotfleetException e) {
    Status.Code code = Status.Code.valueOf(e.kind().name());
    if (e instanceof RemoteUnavailableException remote
        && (remote.remoteCode() == Status.Code.DEADLINE_EXCEEDED
            || remote.remoteCode() == Status.Code.UNIMPLEMENTED)) {
      code = remote.remoteCode();
    }
    List<InvalidArgumentException.FieldViolation> violations =
        e instanceof InvalidArgumentException invalid ? invalid.violations() : List.of();
    return problem(code, httpStatus(code), e.reason(), e.getMessage(), e.metadata(), violations);
  }

  private static Response fromStatus(StatusRuntimeException e) {
    Status.Code code = e.getStatus().getCode();
    GrpcErrors.Details details = GrpcErrors.Details.of(e);
    String reason = details.info() == null ? code.name() : details.info().getReason();
    Map<String, String> metadata =
        details.info() == null ? Map.of() : details.info().getMetadataMap();
    List<InvalidArgumentException.FieldViolation> violations = details.violations();
    String detail = e.getStatus().getDescription();
    return problem(
        code,
        httpStatus(code),
        reason,
        detail == null ? code.name() : detail,
        metadata,
        violations);
  }

  private static Response fromHttp(WebApplicationException e) {
    int status = e.getResponse().getStatus();
    String reason =
        switch (status) {
          case 404 -> "ROUTE_NOT_FOUND";
          case 405 -> "METHOD_NOT_ALLOWED";
          case 406 -> "NOT_ACCEPTABLE";
          case 415 -> "UNSUPPORTED_MEDIA_TYPE";
          default -> "HTTP_" + status;
        };
    return problem(null, status, reason, e.getMessage(), Map.of(), List.of());
  }

  private static Response problem(
      Status.Code code,
      int status,
      String reason,
      String detail,
      Map<String, String> metadata,
      List<InvalidArgumentException.FieldViolation> violations) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", TYPE_BASE + reason.toLowerCase(Locale.ROOT).replace('_', '-'));
    body.put("title", title(status));
    body.put("status", status);
    body.put("detail", detail);
    body.put("reason", reason);
    if (code != null) {
      body.put("grpc_status", code.name());
    }
    if (!violations.isEmpty()) {
      body.put("field", violations.get(0).field());
      List<Map<String, String>> list = new ArrayList<>();
      violations.forEach(v -> list.add(Map.of("field", v.field(), "description", v.description())));
      body.put("violations", list);
    }
    if (!metadata.isEmpty()) {
      body.put("metadata", metadata);
    }
    String text;
    try {
      text = JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a problem of strings cannot fail to serialize", e);
    }
    Response.ResponseBuilder response = Response.status(status).type(PROBLEM_JSON).entity(text);
    if (status == 503) {
      // UNAVAILABLE is retryable by definition; say when (a dependency restarting, a lease moving).
      response.header("Retry-After", "1");
    }
    return response.build();
  }

  private static String title(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 406 -> "Not Acceptable";
      case 409 -> "Conflict";
      case 415 -> "Unsupported Media Type";
      case 429 -> "Too Many Requests";
      case 499 -> "Client Closed Request";
      case 501 -> "Not Implemented";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      default -> status >= 500 ? "Internal Server Error" : "Error";
    };
  }
}
