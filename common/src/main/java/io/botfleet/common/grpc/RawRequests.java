package io.botfleet.common.grpc;

import io.botfleet.signing.RawBytesMarshaller;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;

/**
 * Makes a service hand its interceptors the request bytes as received, so that request signatures
 * are verified over exactly those bytes. Every botfleet gRPC adapter overrides {@code
 * bindService()} with {@code return RawRequests.bind(super.bindService());}; the verification
 * interceptor refuses any call of a service that does not (fail closed).
 */
public final class RawRequests {

  private RawRequests() {}

  /** The same service, speaking raw bytes to its interceptors. */
  public static ServerServiceDefinition bind(ServerServiceDefinition definition) {
    return ServerInterceptors.useMarshalledMessages(definition, RawBytesMarshaller.INSTANCE);
  }
}
