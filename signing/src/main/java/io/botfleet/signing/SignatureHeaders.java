package io.botfleet.signing;

import io.grpc.Metadata;
import java.util.Base64;

/**
 * The five metadata entries of a signed call, and their names.
 *
 * @param agentId {@code bf-agent}
 * @param keyVersion {@code bf-key-version}
 * @param timestampMillis {@code bf-timestamp}, epoch milliseconds
 * @param nonce {@code bf-nonce}, 16 random bytes base64url without padding
 * @param signature {@code bf-signature}, the 64-byte Ed25519 signature
 */
public record SignatureHeaders(
    String agentId, int keyVersion, long timestampMillis, String nonce, byte[] signature) {

  /** The signer's agent id. */
  public static final Metadata.Key<String> AGENT =
      Metadata.Key.of("bf-agent", Metadata.ASCII_STRING_MARSHALLER);

  /** The signer's key version. */
  public static final Metadata.Key<String> KEY_VERSION =
      Metadata.Key.of("bf-key-version", Metadata.ASCII_STRING_MARSHALLER);

  /** Epoch milliseconds. */
  public static final Metadata.Key<String> TIMESTAMP =
      Metadata.Key.of("bf-timestamp", Metadata.ASCII_STRING_MARSHALLER);

  /** 16 random bytes, base64url without padding. */
  public static final Metadata.Key<String> NONCE =
      Metadata.Key.of("bf-nonce", Metadata.ASCII_STRING_MARSHALLER);

  /** The signature, standard base64. */
  public static final Metadata.Key<String> SIGNATURE =
      Metadata.Key.of("bf-signature", Metadata.ASCII_STRING_MARSHALLER);

  /**
   * The agent a botfleet service acts for (an operator of fleet-service's REST gateway). Not one of
   * the five: absent on almost every call; when present it is signed (see {@link
   * CanonicalRequest}).
   */
  public static final Metadata.Key<String> ACTING_FOR =
      Metadata.Key.of("botfleet-acting-for", Metadata.ASCII_STRING_MARSHALLER);

  /** Writes the five entries into {@code headers}, replacing any there. */
  public void writeTo(Metadata headers) {
    headers.discardAll(AGENT);
    headers.discardAll(KEY_VERSION);
    headers.discardAll(TIMESTAMP);
    headers.discardAll(NONCE);
    headers.discardAll(SIGNATURE);
    headers.put(AGENT, agentId);
    headers.put(KEY_VERSION, Integer.toString(keyVersion));
    headers.put(TIMESTAMP, Long.toString(timestampMillis));
    headers.put(NONCE, nonce);
    headers.put(SIGNATURE, Base64.getEncoder().encodeToString(signature));
  }

  /** The canonical request these headers sign, for a body with the given hash. */
  public CanonicalRequest canonical(String fullMethod, String bodySha256Hex) {
    return canonical(fullMethod, bodySha256Hex, null);
  }

  /**
   * The canonical request these headers sign, for a body with the given hash, acting for {@code
   * actingFor} (null: on the signer's own account).
   */
  public CanonicalRequest canonical(String fullMethod, String bodySha256Hex, String actingFor) {
    return new CanonicalRequest(
        fullMethod, agentId, keyVersion, timestampMillis, nonce, bodySha256Hex, actingFor);
  }
}
