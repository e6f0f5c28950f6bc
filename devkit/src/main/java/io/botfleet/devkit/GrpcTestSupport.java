package io.botfleet.devkit;

import io.grpc.ManagedChannel;
import io.grpc.stub.AbstractStub;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base of a service's gRPC tests: a plain-text channel to the running test application, and stubs
 * signed as a test principal with a deadline, so every call goes through the real verification.
 */
public abstract class GrpcTestSupport {

  /** The channel to the service under test. */
  protected static ManagedChannel channel;

  @BeforeAll
  static void openChannel() {
    channel = TestChannels.toApplication();
  }

  @AfterAll
  static void closeChannel() throws InterruptedException {
    if (channel != null) { // null when the application failed to start
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /** {@code stub} signed as {@code principal}, with a 10 s deadline. */
  protected static <S extends AbstractStub<S>> S signed(TestPrincipal principal, S stub) {
    return principal.sign(stub).withDeadlineAfter(10, TimeUnit.SECONDS);
  }
}
