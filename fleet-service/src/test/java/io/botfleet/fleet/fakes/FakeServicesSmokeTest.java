package io.botfleet.fleet.fakes;

import static org.assertj.core.api.Assertions.assertThat;

import io.botfleet.common.v1.PrincipalKind;
import io.botfleet.identity.v1.IdentityServiceGrpc;
import io.botfleet.identity.v1.RegisterAgentRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import org.junit.jupiter.api.Test;

class FakeServicesSmokeTest {

  @Test
  void theFakesAnswerOverTheNetwork() {
    try (FakeServices fakes = FakeServices.start()) {
      ManagedChannel channel =
          ManagedChannelBuilder.forAddress("127.0.0.1", fakes.port()).usePlaintext().build();
      try {
        var identity =
            IdentityServiceGrpc.newBlockingStub(channel)
                .registerAgent(
                    RegisterAgentRequest.newBuilder()
                        .setName("x")
                        .setOrganization("acme")
                        .setKind(PrincipalKind.PRINCIPAL_KIND_BOT)
                        .build())
                .getIdentity();
        assertThat(identity.getId()).startsWith("bot-");
        assertThat(fakes.identity.recorder.calls()).hasSize(1);
      } finally {
        channel.shutdownNow();
      }
    }
  }
}
