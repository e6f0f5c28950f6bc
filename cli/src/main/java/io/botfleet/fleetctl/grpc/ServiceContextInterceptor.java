package io.botfleet.fleetctl.grpc;

import io.botfleet.fleetctl.config.Service;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;

/**
 * Tags a failed call's status with the service and address it went to, so that "UNAVAILABLE" at 3
 * AM says which service, at which address, did not answer. The code, the details (ErrorInfo,
 * BadRequest) and the service's own message are kept.
 */
final class ServiceContextInterceptor implements ClientInterceptor {

  /** Trailer key carrying the service name, read by {@link GrpcFailure}. */
  static final Metadata.Key<String> SERVICE =
      Metadata.Key.of("fleetctl-service", Metadata.ASCII_STRING_MARSHALLER);

  /** Trailer key carrying the endpoint. */
  static final Metadata.Key<String> ENDPOINT =
      Metadata.Key.of("fleetctl-endpoint", Metadata.ASCII_STRING_MARSHALLER);

  private final Service service;
  private final String endpoint;

  ServiceContextInterceptor(Service service, String endpoint) {
    this.service = service;
    this.endpoint = endpoint;
  }

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, Channel next) {
    return new ForwardingClientCall.SimpleForwardingClientCall<>(
        next.newCall(method, callOptions)) {
      @Override
      public void start(Listener<RespT> listener, Metadata headers) {
        super.start(
            new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
              @Override
              public void onClose(Status status, Metadata trailers) {
                if (!status.isOk()) {
                  trailers.put(SERVICE, service.key() + "-service");
                  trailers.put(ENDPOINT, endpoint);
                }
                super.onClose(status, trailers);
              }
            },
            headers);
      }
    };
  }
}
