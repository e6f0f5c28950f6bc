package io.botfleet.common.auth;

import io.botfleet.signing.RequestSigner;
import io.botfleet.signing.SignatureHeaders;
import io.botfleet.signing.SigningClientInterceptor;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Signs every call this service makes to another botfleet service with its own credentials. A call
 * made inside {@link ActingFor#bind} carries {@code botfleet-acting-for}, covered by the signature;
 * any other call carries none, whatever its metadata held.
 */
@ApplicationScoped
@GlobalInterceptor
public class ServiceSigningInterceptor implements ClientInterceptor {

  @Inject ServiceCredentials credentials;

  private SigningClientInterceptor delegate;

  @PostConstruct
  void init() {
    delegate = new SigningClientInterceptor(new RequestSigner(credentials::get));
  }

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, Channel next) {
    String actingFor = ActingFor.current().orElse(null);
    ClientCall<ReqT, RespT> signed = delegate.interceptCall(method, callOptions, next);
    return new ForwardingClientCall.SimpleForwardingClientCall<>(signed) {
      @Override
      public void start(Listener<RespT> responseListener, Metadata headers) {
        // Put before the signing call reads it: it signs whatever is there when the body is known.
        headers.discardAll(SignatureHeaders.ACTING_FOR);
        if (actingFor != null) {
          headers.put(SignatureHeaders.ACTING_FOR, actingFor);
        }
        super.start(responseListener, headers);
      }
    };
  }
}
