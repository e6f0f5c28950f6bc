package io.botfleet.sdk;

import io.botfleet.signing.CanonicalRequest;
import io.botfleet.signing.SigningKey;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The proofs of possession of docs/protocol.md: where a request registers a new public key, the
 * sender signs a challenge with the matching private key. Public so that any Java client enrolling
 * a key (a bot, {@code fleetctl init}) builds exactly the same bytes.
 */
public final class ProofOfPossession {

  private ProofOfPossession() {}

  /**
   * The enrollment challenge of {@code EnrollBot} (and {@code BootstrapAdmin}).
   *
   * @param name the name the token was issued for
   * @param publicKey the public key exactly as it goes into the request
   * @param token the enrollment token (only its SHA-256 is part of the challenge)
   */
  public static String enrollmentChallenge(String name, String publicKey, String token) {
    return "BOTFLEET-ENROLL-V1\n"
        + name
        + '\n'
        + publicKey
        + '\n'
        + CanonicalRequest.sha256Hex(token.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The rotation challenge of {@code RegisterRotatedKey}.
   *
   * @param agentId the rotating identity
   * @param rotationId the rotation
   * @param newPublicKey the new public key exactly as it goes into the request
   */
  public static String rotationChallenge(String agentId, String rotationId, String newPublicKey) {
    return "BOTFLEET-ROTATE-V1\n" + agentId + '\n' + rotationId + '\n' + newPublicKey;
  }

  /** The {@code challenge_signature} field: the key's signature of the UTF-8 challenge, base64. */
  public static String sign(SigningKey key, String challenge) {
    return Base64.getEncoder().encodeToString(key.sign(challenge.getBytes(StandardCharsets.UTF_8)));
  }
}
