package io.botfleet.billing.fakes;

import io.botfleet.signing.SignatureHeaders;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * Refuses unsigned calls (as the real services do) and exposes who signed the call, so tests can
 * check that billing calls other services as itself.
 */
final class CallerHeaders implements ServerInterceptor {

  static final Context.Key<String> AGENT = Context.key("fake-caller");

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    String agent = headers.get(SignatureHeaders.AGENT);
    if (agent == null || headers.get(SignatureHeaders.SIGNATURE) == null) {
      call.close(Status.UNAUTHENTICATED.withDescription("unsigned call"), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    return Contexts.interceptCall(Context.current().withValue(AGENT, agent), call, headers, next);
  }
}
