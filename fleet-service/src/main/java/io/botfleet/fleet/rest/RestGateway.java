package io.botfleet.fleet.rest;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.botfleet.common.auth.ActingFor;
import io.botfleet.common.auth.Caller;
import io.botfleet.common.error.InvalidArgumentException;
import io.botfleet.fleet.v1.FleetServiceGrpc;
import io.grpc.Context;
import io.grpc.MethodDescriptor;
import io.grpc.stub.StreamObserver;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Runs one REST route as the gRPC call it maps to: authenticates the signed request against that
 * RPC's access rule, builds the request message from the JSON body (proto3 JSON mapping), the query
 * string and the path, calls the use case as that caller, and answers the response message as JSON.
 * Errors surface as exceptions that {@link ProblemMapper} turns into problem+json.
 */
@ApplicationScoped
public class RestGateway {

  private static final JsonFormat.Parser PARSER = JsonFormat.parser();
  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().preservingProtoFieldNames().alwaysPrintFieldsWithNoPresence();

  @Inject SignedHttpRequests signatures;

  /** One route's call. */
  public final class Call<B extends Message.Builder> {
    private final HttpServerRequest http;
    private final byte[] body;
    private final MethodDescriptor<?, ?> rpc;
    private final B request;
    private Map<String, String> path = Map.of();

    private Call(HttpServerRequest http, byte[] body, MethodDescriptor<?, ?> rpc, B request) {
      this.http = http;
      this.body = body == null ? new byte[0] : body;
      this.rpc = rpc;
      this.request = request;
    }

    /** Fields set from the path; they win over the body and the query. */
    public Call<B> path(Map<String, String> fields) {
      this.path = fields;
      return this;
    }

    /** Answers 200 with what {@code handler} returns for the request. */
    @SuppressWarnings("unchecked")
    public <Q extends Message, R extends Message> Response ok(Function<Q, R> handler) {
      return Response.ok(json(run((Function<Message, Message>) (Function<?, ?>) handler)))
          .type(MediaType.APPLICATION_JSON)
          .build();
    }

    /** Answers 201 with a Location made from the answer. */
    @SuppressWarnings("unchecked")
    public <Q extends Message, R extends Message> Response created(
        Function<Q, R> handler, Function<R, String> location) {
      R answer = (R) run((Function<Message, Message>) (Function<?, ?>) handler);
      return Response.created(URI.create(location.apply(answer)))
          .entity(json(answer))
          .type(MediaType.APPLICATION_JSON)
          .build();
    }

    private Message run(Function<Message, Message> handler) {
      SignedHttpRequests.Authenticated caller = signatures.authenticate(http, body, rpc);
      if (body.length > 0) {
        try {
          PARSER.merge(new String(body, StandardCharsets.UTF_8), request);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
          throw new InvalidArgumentException(
              "body", "is not a valid JSON request: " + e.getMessage());
        }
      }
      QueryParameters.apply(http.params(), request, path.keySet());
      path.forEach((field, value) -> QueryParameters.set(request, field, value));
      Message built = request.build();
      Message answer;
      Context context = Caller.bind(caller.principal(), caller.keyVersion());
      boolean proxied = !rpc.getServiceName().equals(FleetServiceGrpc.SERVICE_NAME);
      if (proxied && caller.principal().isOperator()) {
        // deploy-, billing- and health-service see the operator as their caller, fleet-service as
        // the service it came through (docs/decisions/0208-gateway-acting-for.md). A bot's reads
        // about itself go on fleet-service's account: only operators are delegated.
        context = ActingFor.bind(context, caller.principal().agentId());
      }
      try {
        answer = context.call(() -> handler.apply(built));
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      return answer;
    }
  }

  /** Starts a route's call that maps to {@code rpc} with an empty request {@code request}. */
  public <B extends Message.Builder> Call<B> call(
      HttpServerRequest http, byte[] body, MethodDescriptor<?, ?> rpc, B request) {
    return new Call<>(http, body, rpc, request);
  }

  /** A gRPC adapter method (request, observer) as a function; its errors are thrown. */
  public static <Q, R> Function<Q, R> unary(BiConsumer<Q, StreamObserver<R>> method) {
    return request -> {
      AtomicReference<R> answer = new AtomicReference<>();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      method.accept(
          request,
          new StreamObserver<>() {
            @Override
            public void onNext(R value) {
              answer.set(value);
            }

            @Override
            public void onError(Throwable t) {
              failure.set(t);
            }

            @Override
            public void onCompleted() {}
          });
      Throwable failed = failure.get();
      if (failed instanceof RuntimeException e) {
        throw e;
      }
      if (failed != null) {
        throw new IllegalStateException(failed);
      }
      return answer.get();
    };
  }

  /** The proto3 JSON of a message, snake_case names, fields without presence always printed. */
  public static String json(Message message) {
    try {
      return PRINTER.print(message);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot print " + message.getDescriptorForType(), e);
    }
  }
}
