package io.botfleet.common.grpc;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.quarkus.grpc.ExceptionHandler;
import io.quarkus.grpc.ExceptionHandlerProvider;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Replaces Quarkus' default exception handling for every gRPC service: an exception escaping a
 * handler closes the call with {@link GrpcErrors}' status.
 */
@ApplicationScoped
public class GrpcExceptionHandlerProvider implements ExceptionHandlerProvider {

  @Override
  public <ReqT, RespT> ExceptionHandler<ReqT, RespT> createHandler(
      ServerCall.Listener<ReqT> listener, ServerCall<ReqT, RespT> call, Metadata metadata) {
    return new ExceptionHandler<>(listener, call, metadata) {
      @Override
      protected void handleException(
          Throwable exception, ServerCall<ReqT, RespT> serverCall, Metadata headers) {
        var status = GrpcErrors.toStatusException(exception);
        Metadata trailers = status.getTrailers() != null ? status.getTrailers() : new Metadata();
        try {
          serverCall.close(status.getStatus(), trailers);
        } catch (IllegalStateException alreadyClosed) {
          // The call ended on its own (e.g. the client cancelled); nothing to tell it.
        }
      }
    };
  }

  @Override
  public Throwable transform(Throwable t) {
    return GrpcErrors.toStatusException(t);
  }
}
