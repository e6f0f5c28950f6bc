package io.botfleet.deploy.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class DeploymentIdsTest {

  @Test
  void theIdIsDeployAnd12HexOfTheSha256OfVersionGroupAndTime() {
    // printf '1.9.0-perp-momentum-2026-11-25T12:00:00Z' | sha256sum starts with 292bbbb293f5.
    String id = DeploymentIds.of("1.9.0", "perp-momentum", Instant.parse("2026-11-25T12:00:00Z"));

    assertThat(id).isEqualTo("deploy-292bbbb293f5");
  }
}
