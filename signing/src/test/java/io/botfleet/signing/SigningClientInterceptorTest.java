package io.botfleet.signing;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client interceptor against a real (in-process) gRPC server that checks what it received. */
class SigningClientInterceptorTest {

  static final MethodDescriptor<String, String> ECHO =
      MethodDescriptor.<String, String>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName("test.Echo/Say")
          .setRequestMarshaller(new Utf8Marshaller())
          .setResponseMarshaller(new Utf8Marshaller())
          .build();
  static final MethodDescriptor<String, String> CHAT =
      ECHO.toBuilder()
          .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
          .setFullMethodName("test.Echo/Chat")
          .build();

  final SigningKey key = SigningKey.generate();
  final AtomicReference<Credentials> credentials =
      new AtomicReference<>(new Credentials("bot-1", 1, key));
  final List<String> verdicts = new CopyOnWriteArrayList<>();
  Server server;
  ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    String name = InProcessServerBuilder.generateName();
    ServerServiceDefinition service =
        ServerServiceDefinition.builder("test.Echo")
            .addMethod(
                ECHO.toBuilder(RawBytesMarshaller.INSTANCE, RawBytesMarshaller.INSTANCE).build(),
                ServerCalls.asyncUnaryCall(
                    (byte[] request, StreamObserver<byte[]> response) -> {
                      response.onNext(request);
                      response.onCompleted();
                    }))
            .addMethod(
                CHAT.toBuilder(RawBytesMarshaller.INSTANCE, RawBytesMarshaller.INSTANCE).build(),
                ServerCalls.asyncBidiStreamingCall(response -> new EchoObserver(response)))
            .build();
    server =
        InProcessServerBuilder.forName(name)
            .addService(ServerInterceptors.intercept(service, new Checker()))
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).build();
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.shutdownNow();
  }

  @Test
  void aUnaryCallIsSignedOverTheBytesTheServerReceived() {
    String answer =
        ClientCalls.blockingUnaryCall(signedChannel(), ECHO, CallOptions.DEFAULT, "héllo");

    assertThat(answer).isEqualTo("héllo");
    assertThat(verdicts).containsExactly("valid test.Echo/Say bot-1 v1 body=hello-bytes");
  }

  @Test
  void aStreamIsSignedOnceOverZeroBytes() {
    var call = signedChannel().newCall(CHAT, CallOptions.DEFAULT);
    var replies = new CopyOnWriteArrayList<String>();
    ClientCalls.asyncBidiStreamingCall(call, new CollectingObserver(replies));
    call.sendMessage("a");
    call.sendMessage("b");
    call.halfClose();
    org.awaitility.Awaitility.await().until(() -> replies.size() == 2);

    assertThat(verdicts).containsExactly("valid test.Echo/Chat bot-1 v1 body=empty");
  }

  @Test
  void newCredentialsTakeEffectOnTheNextCall() {
    SigningKey next = SigningKey.generate();
    checkerKey.set(next.publicKey());
    credentials.set(new Credentials("bot-1", 2, next));

    ClientCalls.blockingUnaryCall(signedChannel(), ECHO, CallOptions.DEFAULT, "x");

    assertThat(verdicts).containsExactly("valid test.Echo/Say bot-1 v2 body=hello-bytes");
  }

  @Test
  void anActingForHeaderPutBeforeSigningIsSigned() {
    Metadata actingFor = new Metadata();
    actingFor.put(SignatureHeaders.ACTING_FOR, "op-alice");
    // The attaching interceptor runs first, as a service's own interceptor does.
    io.grpc.Channel delegating =
        ClientInterceptors.intercept(
            signedChannel(), io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(actingFor));

    ClientCalls.blockingUnaryCall(delegating, ECHO, CallOptions.DEFAULT, "x");
    var call = delegating.newCall(CHAT, CallOptions.DEFAULT);
    var replies = new CopyOnWriteArrayList<String>();
    ClientCalls.asyncBidiStreamingCall(call, new CollectingObserver(replies));
    call.sendMessage("a");
    call.halfClose();
    org.awaitility.Awaitility.await().until(() -> replies.size() == 1);

    assertThat(verdicts)
        .containsExactly(
            "valid test.Echo/Say bot-1 v1 body=hello-bytes for op-alice",
            "valid test.Echo/Chat bot-1 v1 body=empty for op-alice");
  }

  final AtomicReference<VerifyingKey> checkerKey = new AtomicReference<>(key.publicKey());

  private io.grpc.Channel signedChannel() {
    return ClientInterceptors.intercept(
        channel, new SigningClientInterceptor(new RequestSigner(credentials::get)));
  }

  /** Verifies each call the way a botfleet server does, and records the verdict. */
  final class Checker implements ServerInterceptor {
    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
        ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
      String method = call.getMethodDescriptor().getFullMethodName();
      SignatureHeaders signed =
          new SignatureHeaders(
              headers.get(SignatureHeaders.AGENT),
              Integer.parseInt(headers.get(SignatureHeaders.KEY_VERSION)),
              Long.parseLong(headers.get(SignatureHeaders.TIMESTAMP)),
              headers.get(SignatureHeaders.NONCE),
              Base64.getDecoder().decode(headers.get(SignatureHeaders.SIGNATURE)));
      String actingFor = headers.get(SignatureHeaders.ACTING_FOR);
      ServerCall.Listener<ReqT> listener = next.startCall(call, headers);
      if (!call.getMethodDescriptor().getType().clientSendsOneMessage()) {
        record(method, signed, CanonicalRequest.EMPTY_BODY_SHA256, "empty", actingFor);
        return listener;
      }
      return new io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener<>(
          listener) {
        @Override
        public void onMessage(ReqT message) {
          record(
              method,
              signed,
              CanonicalRequest.sha256Hex((byte[]) message),
              "hello-bytes",
              actingFor);
          super.onMessage(message);
        }
      };
    }

    private void record(
        String method, SignatureHeaders signed, String hash, String body, String actingFor) {
      boolean valid =
          checkerKey
              .get()
              .verify(signed.canonical(method, hash, actingFor).bytes(), signed.signature());
      verdicts.add(
          (valid ? "valid " : "INVALID ")
              + method
              + " "
              + signed.agentId()
              + " v"
              + signed.keyVersion()
              + " body="
              + body
              + (actingFor == null ? "" : " for " + actingFor));
    }
  }

  static final class Utf8Marshaller implements MethodDescriptor.Marshaller<String> {
    @Override
    public java.io.InputStream stream(String value) {
      return new java.io.ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String parse(java.io.InputStream stream) {
      return new String(RawBytesMarshaller.INSTANCE.parse(stream), StandardCharsets.UTF_8);
    }
  }

  record EchoObserver(StreamObserver<byte[]> response) implements StreamObserver<byte[]> {
    @Override
    public void onNext(byte[] value) {
      response.onNext(value);
    }

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onCompleted() {
      response.onCompleted();
    }
  }

  record CollectingObserver(List<String> replies) implements StreamObserver<String> {
    @Override
    public void onNext(String value) {
      replies.add(value);
    }

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onCompleted() {}
  }
}
