package io.botfleet.devkit;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import org.eclipse.microprofile.config.ConfigProvider;

/** Plain-text gRPC channels to the service under test, for tests that call it over the network. */
public final class TestChannels {

  private TestChannels() {}

  /** A channel to the running test application (its quarkus.http.test-port). */
  public static ManagedChannel toApplication() {
    int port =
        ConfigProvider.getConfig()
            .getOptionalValue("quarkus.http.test-port", Integer.class)
            .orElse(8081);
    return ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
  }
}
