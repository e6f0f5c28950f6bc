package io.botfleet.common.auth;

import io.botfleet.signing.RequestSigner;
import io.botfleet.signing.SigningClientInterceptor;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Signs every call this service makes to another botfleet service with its own credentials. */
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
    return delegate.interceptCall(method, callOptions, next);
  }
}
