package io.botfleet.sdk.fake;

import io.botfleet.common.auth.CachedKey;
import io.botfleet.common.auth.RequestVerifier;
import io.botfleet.signing.SignatureHeaders;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What every botfleet service does to a call, with the services' own {@link RequestVerifier} (the
 * checks of docs/protocol.md over the bytes as received): refuses unsigned or badly signed calls
 * with UNAUTHENTICATED and records every verdict. Public methods pass unsigned. The verified agent
 * id is put in {@link #CALLER} for the fake services.
 */
final class VerifyingInterceptor implements ServerInterceptor {

  static final Context.Key<String> CALLER = Context.key("fake-caller");

  private static final byte[] EMPTY = new byte[0];

  private final RequestVerifier verifier;
  private final Set<String> publicMethods;
  private final Consumer<CallRecord> record;
  private final FakeControlPlane plane;

  VerifyingInterceptor(
      RequestVerifier verifier,
      Set<String> publicMethods,
      Consumer<CallRecord> record,
      FakeControlPlane plane) {
    this.verifier = verifier;
    this.publicMethods = publicMethods;
    this.record = record;
    this.plane = plane;
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    if (plane.unavailable(call.getMethodDescriptor().getServiceName())) {
      call.close(Status.UNAVAILABLE.withDescription("control plane down (test)"), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    if (publicMethods.contains(method)) {
      record.accept(new CallRecord(method, "", 0, null));
      return next.startCall(call, headers);
    }
    long delay = plane.verificationDelay(call.getMethodDescriptor().getServiceName()).toMillis();
    if (delay > 0) {
      try {
        Thread.sleep(delay);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    long now = System.currentTimeMillis();
    SignatureHeaders signed;
    CachedKey key;
    try {
      signed =
          RequestVerifier.parse(
              headers.get(SignatureHeaders.AGENT),
              headers.get(SignatureHeaders.KEY_VERSION),
              headers.get(SignatureHeaders.TIMESTAMP),
              headers.get(SignatureHeaders.NONCE),
              headers.get(SignatureHeaders.SIGNATURE));
      key = verifier.claimedKey(signed, now);
    } catch (RequestVerifier.Refusal refusal) {
      return refuse(call, method, headers.get(SignatureHeaders.AGENT), 0, refusal.getMessage());
    }
    Context context = Context.current().withValue(CALLER, signed.agentId());
    if (call.getMethodDescriptor().getType().clientSendsOneMessage()) {
      ServerCall.Listener<ReqT> delegate = Contexts.interceptCall(context, call, headers, next);
      return new VerifyFirstMessage<>(call, delegate, method, key, signed, now);
    }
    try {
      verifier.verify(method, key, signed, EMPTY, now);
    } catch (RequestVerifier.Refusal refusal) {
      return refuse(call, method, signed.agentId(), signed.keyVersion(), refusal.getMessage());
    }
    record.accept(new CallRecord(method, signed.agentId(), signed.keyVersion(), null));
    return Contexts.interceptCall(context, call, headers, next);
  }

  private <ReqT, RespT> ServerCall.Listener<ReqT> refuse(
      ServerCall<ReqT, RespT> call, String method, String agent, int version, String why) {
    record.accept(new CallRecord(method, agent == null ? "" : agent, version, why));
    call.close(Status.UNAUTHENTICATED.withDescription(why), new Metadata());
    return new ServerCall.Listener<>() {};
  }

  /** Holds a one-message call until its bytes arrive and verify. */
  private final class VerifyFirstMessage<ReqT, RespT>
      extends ForwardingServerCallListener.SimpleForwardingServerCallListener<ReqT> {
    private final ServerCall<ReqT, RespT> call;
    private final String method;
    private final CachedKey key;
    private final SignatureHeaders signed;
    private final long receivedAt;
    private boolean verified;
    private boolean refused;

    VerifyFirstMessage(
        ServerCall<ReqT, RespT> call,
        ServerCall.Listener<ReqT> delegate,
        String method,
        CachedKey key,
        SignatureHeaders signed,
        long receivedAt) {
      super(delegate);
      this.call = call;
      this.method = method;
      this.key = key;
      this.signed = signed;
      this.receivedAt = receivedAt;
    }

    @Override
    public void onMessage(ReqT message) {
      if (refused) {
        return;
      }
      if (!verified) {
        try {
          verifier.verify(method, key, signed, (byte[]) message, receivedAt);
        } catch (RequestVerifier.Refusal refusal) {
          refused = true;
          record.accept(
              new CallRecord(method, signed.agentId(), signed.keyVersion(), refusal.getMessage()));
          call.close(Status.UNAUTHENTICATED.withDescription(refusal.getMessage()), new Metadata());
          return;
        }
        verified = true;
        record.accept(new CallRecord(method, signed.agentId(), signed.keyVersion(), null));
      }
      super.onMessage(message);
    }

    @Override
    public void onHalfClose() {
      if (!refused) {
        super.onHalfClose();
      }
    }

    @Override
    public void onReady() {
      if (!refused) {
        super.onReady();
      }
    }
  }
}
