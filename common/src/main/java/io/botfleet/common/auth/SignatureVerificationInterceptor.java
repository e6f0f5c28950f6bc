package io.botfleet.common.auth;

import io.botfleet.common.config.AuthConfig;
import io.botfleet.common.v1.Access;
import io.botfleet.signing.SignatureHeaders;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GlobalInterceptor;
import io.quarkus.logging.Log;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.Prioritized;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Authenticates and authorizes every call of every botfleet service (docs/protocol.md): the five
 * signature headers, the skew window, the key cache, the signature over the request bytes as
 * received, the nonce replay check, and then the RPC's access rule. A stream is verified once when
 * it opens and bound to its identity; revoking that identity closes it.
 *
 * <p>A request carrying {@code botfleet-acting-for} (signed with the rest) is a delegating
 * service's call on behalf of an operator ({@link Delegation}): after the signature and the nonce,
 * the delegation is checked, and the access rule must admit both the service and the operator.
 *
 * <p>It runs before Quarkus moves blocking calls to worker threads, so a refused call never takes
 * one.
 */
@ApplicationScoped
@GlobalInterceptor
public class SignatureVerificationInterceptor implements ServerInterceptor, Prioritized {

  /** Infrastructure services anyone may call: health checks and reflection. */
  private static final Set<String> OPEN_SERVICES =
      Set.of(
          "grpc.health.v1.Health",
          "grpc.reflection.v1.ServerReflection",
          "grpc.reflection.v1alpha.ServerReflection");

  private static final byte[] EMPTY = new byte[0];

  private final AccessRules accessRules = new AccessRules();
  private final Clock clock;
  private RequestVerifier verifier;

  @Inject KeyCache keyCache;
  @Inject OpenStreams openStreams;
  @Inject AuthConfig config;

  /** With the system clock. */
  public SignatureVerificationInterceptor() {
    this(Clock.systemUTC());
  }

  SignatureVerificationInterceptor(Clock clock) {
    this.clock = clock;
  }

  @Override
  public int getPriority() {
    // Inside Quarkus' context interceptors, outside its blocking handler (MAX_VALUE - 60).
    return Integer.MAX_VALUE - 58;
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    if (OPEN_SERVICES.contains(call.getMethodDescriptor().getServiceName())) {
      return next.startCall(call, headers);
    }
    Optional<Access> access = accessRules.of(call.getMethodDescriptor());
    if (access.isEmpty()) {
      return refuse(call, Status.PERMISSION_DENIED, method + " declares no access rule");
    }
    if (access.get().getPublic()) {
      return next.startCall(call, headers);
    }

    long now = clock.millis();
    SignatureHeaders signed;
    String actingFor;
    CachedKey key;
    try {
      signed =
          RequestVerifier.parse(
              headers.get(SignatureHeaders.AGENT),
              headers.get(SignatureHeaders.KEY_VERSION),
              headers.get(SignatureHeaders.TIMESTAMP),
              headers.get(SignatureHeaders.NONCE),
              headers.get(SignatureHeaders.SIGNATURE));
      actingFor = Delegation.header(headers.getAll(SignatureHeaders.ACTING_FOR));
      key = verifier().claimedKey(signed, now);
    } catch (RequestVerifier.Refusal refusal) {
      return refuse(call, Status.UNAUTHENTICATED, refusal.getMessage());
    }
    // The delegation and the access rule are applied only to a caller whose signature verified:
    // refusing earlier would tell anyone who knows an agent id which RPCs that agent may call (403
    // or 401).
    Authorization authorization =
        Authorization.of(
            key.principal(),
            actingFor,
            access.get(),
            method,
            config.delegatingServices(),
            keyCache);
    Principal principal = authorization.caller();
    StatusRuntimeException denial = authorization.denial();
    boolean oneMessage = call.getMethodDescriptor().getType().clientSendsOneMessage();
    if (denial != null && oneMessage) {
      // The service never sees this call: ask for its message here, to verify it and refuse.
      call.request(1);
      return new VerifyFirstMessage<>(
          call, new ServerCall.Listener<>() {}, key, signed, actingFor, now, () -> {}, denial);
    }
    if (!oneMessage) {
      // A stream is signed over zero bytes: verified before the service sees it open.
      try {
        verifier().verify(method, key, signed, EMPTY, actingFor, now);
      } catch (RequestVerifier.Refusal refusal) {
        return refuse(call, Status.UNAUTHENTICATED, refusal.getMessage());
      }
      if (denial != null) {
        call.close(denial.getStatus(), trailers(denial));
        return new ServerCall.Listener<>() {};
      }
    }

    Context context =
        Context.current().withValues(Caller.KEY, principal, Caller.KEY_VERSION, key.keyVersion());
    if (authorization.via() != null) {
      context = context.withValue(Caller.VIA, authorization.via());
    }
    // A stream is closed when its caller is revoked, or the service it came through.
    List<String> owners =
        authorization.via() == null
            ? List.of(principal.agentId())
            : List.of(principal.agentId(), authorization.via().agentId());
    if (oneMessage) {
      // Unary and server-streaming calls are signed over their message: held until it arrives.
      // A server stream is tracked (a revocation closes it) once its signature verified.
      boolean stream = call.getMethodDescriptor().getType() != MethodDescriptor.MethodType.UNARY;
      ServerCall<ReqT, RespT> served = stream ? new SerializedServerCall<>(call) : call;
      ServerCall.Listener<ReqT> listener = Contexts.interceptCall(context, served, headers, next);
      Runnable track = () -> {};
      if (stream) {
        SerializedServerCall<?, ?> tracked = (SerializedServerCall<?, ?>) served;
        listener = untrackOnEnd(listener, owners, tracked);
        track = () -> owners.forEach(owner -> openStreams.add(owner, tracked));
      }
      return new VerifyFirstMessage<>(served, listener, key, signed, actingFor, now, track, null);
    }
    // Client and bidirectional streams: tracked from now on, so a revocation closes them.
    SerializedServerCall<ReqT, RespT> served = new SerializedServerCall<>(call);
    ServerCall.Listener<ReqT> listener =
        untrackOnEnd(Contexts.interceptCall(context, served, headers, next), owners, served);
    owners.forEach(owner -> openStreams.add(owner, served));
    return listener;
  }

  private static Metadata trailers(StatusRuntimeException denial) {
    Metadata trailers = denial.getTrailers();
    return trailers == null ? new Metadata() : trailers;
  }

  private <ReqT> ServerCall.Listener<ReqT> untrackOnEnd(
      ServerCall.Listener<ReqT> listener, List<String> owners, SerializedServerCall<?, ?> call) {
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onComplete() {
        owners.forEach(owner -> openStreams.remove(owner, call));
        super.onComplete();
      }

      @Override
      public void onCancel() {
        owners.forEach(owner -> openStreams.remove(owner, call));
        super.onCancel();
      }
    };
  }

  @PostConstruct
  void init() {
    verifier = new RequestVerifier(keyCache, config.skew());
  }

  private RequestVerifier verifier() {
    return verifier;
  }

  private static <ReqT, RespT> ServerCall.Listener<ReqT> refuse(
      ServerCall<ReqT, RespT> call, Status status, String description) {
    call.close(description == null ? status : status.withDescription(description), new Metadata());
    return new ServerCall.Listener<>() {};
  }

  /**
   * Holds a single-message call until its message arrives, verifies the signature over its bytes,
   * and only then lets the service see it.
   */
  private final class VerifyFirstMessage<ReqT, RespT>
      extends ForwardingServerCallListener.SimpleForwardingServerCallListener<ReqT> {

    private final ServerCall<ReqT, RespT> call;
    private final CachedKey key;
    private final SignatureHeaders signed;
    private final String actingFor;
    private final long receivedAt;
    private final Runnable onVerified;
    private final StatusRuntimeException denial;
    private boolean verified;
    private boolean refused;

    VerifyFirstMessage(
        ServerCall<ReqT, RespT> call,
        ServerCall.Listener<ReqT> delegate,
        CachedKey key,
        SignatureHeaders signed,
        String actingFor,
        long receivedAt,
        Runnable onVerified,
        StatusRuntimeException denial) {
      super(delegate);
      this.call = call;
      this.key = key;
      this.signed = signed;
      this.actingFor = actingFor;
      this.receivedAt = receivedAt;
      this.onVerified = onVerified;
      this.denial = denial;
    }

    @Override
    public void onMessage(ReqT message) {
      if (refused) {
        return;
      }
      if (!verified) {
        if (!(message instanceof byte[] body)) {
          Log.errorf(
              "%s is not bound with RawRequests: refusing every call",
              call.getMethodDescriptor().getServiceName());
          refuse(Status.INTERNAL.withDescription("service misconfigured: see its log"));
          return;
        }
        try {
          verifier()
              .verify(
                  call.getMethodDescriptor().getFullMethodName(),
                  key,
                  signed,
                  body,
                  actingFor,
                  receivedAt);
        } catch (RequestVerifier.Refusal refusal) {
          if (refusal.getMessage().contains("replay")) {
            Log.warnf(
                "Replayed request refused: %s by %s",
                call.getMethodDescriptor().getFullMethodName(), signed.agentId());
          }
          refuse(Status.UNAUTHENTICATED.withDescription(refusal.getMessage()));
          return;
        }
        if (denial != null) {
          refused = true;
          call.close(denial.getStatus(), trailers(denial));
          return;
        }
        verified = true;
        onVerified.run();
      }
      super.onMessage(message);
    }

    @Override
    public void onHalfClose() {
      if (!refused) {
        if (!verified) {
          refuse(Status.UNAUTHENTICATED.withDescription("no request message to verify"));
          return;
        }
        super.onHalfClose();
      }
    }

    @Override
    public void onReady() {
      if (!refused) {
        super.onReady();
      }
    }

    private void refuse(Status status) {
      refused = true;
      call.close(status, new Metadata());
    }
  }
}
