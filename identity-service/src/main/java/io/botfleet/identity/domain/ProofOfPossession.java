package io.botfleet.identity.domain;

import io.botfleet.signing.VerifyingKey;
import java.nio.charset.StandardCharsets;

/**
 * The challenges a request signs with the private key of the public key it registers, proving it
 * holds that key (docs/protocol.md, "Proofs of possession"). Public keys enter the challenge
 * exactly as the request spelled them, so client and server sign the same bytes.
 */
public final class ProofOfPossession {

  private ProofOfPossession() {}

  /** The enrollment and bootstrap challenge. */
  public static String enrollment(String name, String publicKeyAsSent, String token) {
    return "BOTFLEET-ENROLL-V1\n"
        + name
        + "\n"
        + publicKeyAsSent
        + "\n"
        + OneTimeTokens.hashHex(token);
  }

  /** The rotation challenge. */
  public static String rotation(String agentId, String rotationId, String newPublicKeyAsSent) {
    return "BOTFLEET-ROTATE-V1\n" + agentId + "\n" + rotationId + "\n" + newPublicKeyAsSent;
  }

  /** True if {@code signature} is {@code key}'s signature of {@code challenge}. */
  public static boolean holds(VerifyingKey key, String challenge, byte[] signature) {
    return key.verify(challenge.getBytes(StandardCharsets.UTF_8), signature);
  }
}
