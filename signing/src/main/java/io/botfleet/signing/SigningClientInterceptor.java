package io.botfleet.signing;

import io.grpc.Attributes;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Signs every call of a channel (docs/protocol.md). A call whose client sends one message (unary
 * and server streaming) is started only when that message is known, because its bytes are part of
 * the signature; the message is serialized once and those very bytes are sent. A client or bidi
 * stream is signed at once over an empty body.
 *
 * <p>A {@code botfleet-acting-for} header already in the call's metadata when it is signed (put
 * there by an interceptor that runs before this one) is signed with it.
 */
public final class SigningClientInterceptor implements ClientInterceptor {

  private static final byte[] EMPTY = new byte[0];

  private final RequestSigner signer;

  /** An interceptor signing with {@code signer}. */
  public SigningClientInterceptor(RequestSigner signer) {
    this.signer = signer;
  }

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, Channel next) {
    if (!method.getType().clientSendsOneMessage()) {
      return new ForwardingClientCall.SimpleForwardingClientCall<>(
          next.newCall(method, callOptions)) {
        @Override
        public void start(Listener<RespT> responseListener, Metadata headers) {
          signer
              .sign(method.getFullMethodName(), EMPTY, headers.get(SignatureHeaders.ACTING_FOR))
              .writeTo(headers);
          super.start(responseListener, headers);
        }
      };
    }
    MethodDescriptor<byte[], RespT> raw =
        method.toBuilder(RawBytesMarshaller.INSTANCE, method.getResponseMarshaller()).build();
    return new SignOnSend<>(next.newCall(raw, callOptions), method, signer);
  }

  /** Holds the start of a call back until its one message is sent, then signs and starts it. */
  private static final class SignOnSend<ReqT, RespT> extends ClientCall<ReqT, RespT> {

    private final ClientCall<byte[], RespT> delegate;
    private final MethodDescriptor<ReqT, RespT> method;
    private final RequestSigner signer;
    private Listener<RespT> listener;
    private Metadata headers;
    private int pendingRequests;
    private Boolean compression;
    private boolean started;

    SignOnSend(
        ClientCall<byte[], RespT> delegate,
        MethodDescriptor<ReqT, RespT> method,
        RequestSigner signer) {
      this.delegate = delegate;
      this.method = method;
      this.signer = signer;
    }

    @Override
    public void start(Listener<RespT> responseListener, Metadata headers) {
      this.listener = responseListener;
      this.headers = headers;
    }

    @Override
    public void request(int numMessages) {
      if (started) {
        delegate.request(numMessages);
      } else {
        pendingRequests += numMessages;
      }
    }

    @Override
    public void sendMessage(ReqT message) {
      byte[] body = serialize(message);
      if (!started) {
        signer
            .sign(method.getFullMethodName(), body, headers.get(SignatureHeaders.ACTING_FOR))
            .writeTo(headers);
        startDelegate();
      }
      delegate.sendMessage(body);
    }

    @Override
    public void halfClose() {
      if (!started) {
        startDelegate();
      }
      delegate.halfClose();
    }

    @Override
    public void cancel(String message, Throwable cause) {
      if (!started && listener != null) {
        startDelegate();
      }
      if (started) {
        delegate.cancel(message, cause);
      }
    }

    @Override
    public boolean isReady() {
      return started && delegate.isReady();
    }

    @Override
    public void setMessageCompression(boolean enabled) {
      if (started) {
        delegate.setMessageCompression(enabled);
      } else {
        compression = enabled;
      }
    }

    @Override
    public Attributes getAttributes() {
      return delegate.getAttributes();
    }

    private void startDelegate() {
      started = true;
      delegate.start(listener, headers);
      if (compression != null) {
        delegate.setMessageCompression(compression);
      }
      if (pendingRequests > 0) {
        delegate.request(pendingRequests);
      }
    }

    private byte[] serialize(ReqT message) {
      try (InputStream stream = method.getRequestMarshaller().stream(message)) {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot serialize " + method.getFullMethodName(), e);
      }
    }
  }
}
