package io.botfleet.billing.fakes;

import io.botfleet.signing.SignatureHeaders;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * Refuses unsigned calls (as the real services do) and exposes who signed the call, so tests can
 * check that billing calls other services as itself. A lambda, not a class, so that Quarkus does
 * not take it for one of billing's own interceptors.
 */
final class CallerHeaders {

  static final Context.Key<String> AGENT = Context.key("fake-caller");

  private CallerHeaders() {}

  static ServerInterceptor interceptor() {
    return CallerHeaders::intercept;
  }

  private static <ReqT, RespT> ServerCall.Listener<ReqT> intercept(
      ServerCall<ReqT, RespT> call, Metadata headers, io.grpc.ServerCallHandler<ReqT, RespT> next) {
    String agent = headers.get(SignatureHeaders.AGENT);
    if (agent == null || headers.get(SignatureHeaders.SIGNATURE) == null) {
      call.close(Status.UNAUTHENTICATED.withDescription("unsigned call"), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    return Contexts.interceptCall(Context.current().withValue(AGENT, agent), call, headers, next);
  }
}
