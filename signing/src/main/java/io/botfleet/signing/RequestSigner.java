package io.botfleet.signing;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.function.Supplier;

/**
 * Signs requests with the current credentials. The credentials come from a supplier so that a key
 * rotation takes effect on the next request without rebuilding channels.
 */
public final class RequestSigner {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder NONCE_ENCODER = Base64.getUrlEncoder().withoutPadding();

  private final Supplier<Credentials> credentials;
  private final Clock clock;

  /** A signer with the system clock. */
  public RequestSigner(Supplier<Credentials> credentials) {
    this(credentials, Clock.systemUTC());
  }

  /** A signer with the given clock (tests). */
  public RequestSigner(Supplier<Credentials> credentials, Clock clock) {
    this.credentials = credentials;
    this.clock = clock;
  }

  /** Signs a call to {@code fullMethod} whose body (as sent) is {@code body}. */
  public SignatureHeaders sign(String fullMethod, byte[] body) {
    return sign(fullMethod, body, null);
  }

  /**
   * Signs a call to {@code fullMethod} whose body (as sent) is {@code body}, made on behalf of
   * {@code actingFor} (the {@code botfleet-acting-for} value; null: on the signer's own account).
   */
  public SignatureHeaders sign(String fullMethod, byte[] body, String actingFor) {
    return sign(
        fullMethod, CanonicalRequest.sha256Hex(body), clock.millis(), newNonce(), actingFor);
  }

  /** Signs with an explicit timestamp and nonce (test vectors). */
  public SignatureHeaders sign(
      String fullMethod, String bodySha256Hex, long timestampMillis, String nonce) {
    return sign(fullMethod, bodySha256Hex, timestampMillis, nonce, null);
  }

  /** Signs with an explicit timestamp and nonce, acting for {@code actingFor} (test vectors). */
  public SignatureHeaders sign(
      String fullMethod,
      String bodySha256Hex,
      long timestampMillis,
      String nonce,
      String actingFor) {
    Credentials current = credentials.get();
    CanonicalRequest canonical =
        new CanonicalRequest(
            fullMethod,
            current.agentId(),
            current.keyVersion(),
            timestampMillis,
            nonce,
            bodySha256Hex,
            actingFor);
    byte[] signature = current.key().sign(canonical.bytes());
    return new SignatureHeaders(
        current.agentId(), current.keyVersion(), timestampMillis, nonce, signature);
  }

  /** 16 random bytes, base64url without padding (22 characters). */
  public static String newNonce() {
    byte[] nonce = new byte[16];
    RANDOM.nextBytes(nonce);
    return NONCE_ENCODER.encodeToString(nonce);
  }
}
