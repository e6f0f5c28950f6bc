package io.botfleet.identity.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.botfleet.signing.SigningKey;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The challenge strings are exactly those of docs/protocol.md, "Proofs of possession". */
class ProofOfPossessionTest {

  @Test
  void theEnrollmentChallengeIsNamePublicKeyAsSentAndTheTokensHash() {
    assertThat(ProofOfPossession.enrollment("spot-arb-01", "AAAA-key_as-sent", "bfe_abc"))
        .isEqualTo(
            "BOTFLEET-ENROLL-V1\nspot-arb-01\nAAAA-key_as-sent\n"
                + "6ea17b9769e195edec275d894c851bdaa72234b3a92ae8f58ce799e2f46e1e04");
  }

  @Test
  void theRotationChallengeIsAgentRotationAndNewKeyAsSent() {
    assertThat(ProofOfPossession.rotation("bot-0123456789abcdef", "r-1", "NEWKEY="))
        .isEqualTo("BOTFLEET-ROTATE-V1\nbot-0123456789abcdef\nr-1\nNEWKEY=");
  }

  /** RFC 8032 test key 1, as in docs/protocol.md. */
  private static final SigningKey RFC_KEY =
      SigningKey.fromSeed(
          HexFormat.of()
              .parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));

  @Test
  void theDocumentedEnrollmentVectorHolds() {
    String token = "bfe_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";
    String challenge =
        ProofOfPossession.enrollment("spot-arb-01", RFC_KEY.publicKey().base64(), token);

    assertThat(OneTimeTokens.wellFormed(token, OneTimeTokens.ENROLLMENT)).isTrue();
    assertThat(OneTimeTokens.hashHex(token))
        .isEqualTo("9d3ebdd5dc1da1ea4165c8348bf8ea7eb26efac47d6ce6b1fd8027a598639e12");
    assertThat(base64(RFC_KEY.sign(challenge.getBytes(StandardCharsets.UTF_8))))
        .isEqualTo(
            "EMqlGNKSaS0RG9z76HDtwG1Y2b3NVnsOJY3/0qFKTYVbFHJYxT/kiUxD4D5NKBqpSc/6qDhZmOFKLGvfa9UXCg==");
  }

  @Test
  void theDocumentedRotationVectorHolds() {
    String challenge =
        ProofOfPossession.rotation(
            "bot-0123456789abcdef",
            "6f1c2a3e-0000-4000-8000-000000000001",
            RFC_KEY.publicKey().base64());

    assertThat(base64(RFC_KEY.sign(challenge.getBytes(StandardCharsets.UTF_8))))
        .isEqualTo(
            "+RtG5wzN4iy4er9bTNb3K8zJk8Bwf9XPMMSFf4ANepp6yXURtGoEeY7qm2bFPECHZcIXAuU1WC35cl7303DBCA==");
  }

  private static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  @Test
  void onlyTheHolderOfThePrivateKeyProvesPossession() {
    SigningKey holder = SigningKey.generate();
    SigningKey other = SigningKey.generate();
    String challenge = ProofOfPossession.rotation("bot-1", "r-1", holder.publicKey().base64());

    assertThat(
            ProofOfPossession.holds(
                holder.publicKey(),
                challenge,
                holder.sign(challenge.getBytes(StandardCharsets.UTF_8))))
        .isTrue();
    assertThat(
            ProofOfPossession.holds(
                holder.publicKey(),
                challenge,
                other.sign(challenge.getBytes(StandardCharsets.UTF_8))))
        .isFalse();
    String otherChallenge = ProofOfPossession.rotation("bot-2", "r-1", holder.publicKey().base64());
    assertThat(
            ProofOfPossession.holds(
                holder.publicKey(),
                challenge,
                holder.sign(otherChallenge.getBytes(StandardCharsets.UTF_8))))
        .isFalse();
  }
}
