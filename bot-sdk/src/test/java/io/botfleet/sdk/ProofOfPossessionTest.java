package io.botfleet.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.botfleet.signing.SigningKey;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The proofs of docs/protocol.md, pinned with the RFC 8032 test key (the vectors printed there).
 */
class ProofOfPossessionTest {

  static final SigningKey RFC8032_KEY =
      SigningKey.fromSeed(
          HexFormat.of()
              .parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
  static final String PUBLIC_KEY = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";

  @Test
  void theEnrollmentChallengeCarriesNameKeyAndTheTokensHashNeverTheToken() {
    String challenge =
        ProofOfPossession.enrollmentChallenge("spot-arb-01", PUBLIC_KEY, "bfe_test-token");

    assertThat(challenge)
        .isEqualTo(
            "BOTFLEET-ENROLL-V1\n"
                + "spot-arb-01\n"
                + PUBLIC_KEY
                + "\n"
                + "357c9cebde541e429e4c78fbd89e8b302ce8152fe516fab369edce60ad74adad")
        .doesNotContain("bfe_test-token");
    assertThat(ProofOfPossession.sign(RFC8032_KEY, challenge)).isEqualTo(EXPECTED_ENROLL_SIGNATURE);
  }

  @Test
  void theRotationChallengeCarriesAgentRotationAndTheNewKey() {
    String challenge =
        ProofOfPossession.rotationChallenge(
            "bot-0123456789abcdef", "5f0c6b8e-2d4a-4c1e-9b7a-3e8f1d2c4b6a", PUBLIC_KEY);

    assertThat(challenge)
        .isEqualTo(
            "BOTFLEET-ROTATE-V1\nbot-0123456789abcdef\n5f0c6b8e-2d4a-4c1e-9b7a-3e8f1d2c4b6a\n"
                + PUBLIC_KEY);
    assertThat(ProofOfPossession.sign(RFC8032_KEY, challenge)).isEqualTo(EXPECTED_ROTATE_SIGNATURE);
  }

  /** Made with openssl, as docs/protocol.md shows, not with this code. */
  static final String EXPECTED_ENROLL_SIGNATURE =
      "SBzW7HVvVMdOZQUKzMd87hN/I0gBeUBT8WIq7IkH9KTujvKbTExEJ+TkYrwb6HsYRZqIm3xeTHIPNkzbpsKoAw==";

  static final String EXPECTED_ROTATE_SIGNATURE =
      "XFamwHADhfdncwYxch7obTcBpKCwOBb3VLldr27nxadbJQx/w65/9TRUcYfiX5Y2gbYOUHCLfYdvcSOMyrebDQ==";
}
