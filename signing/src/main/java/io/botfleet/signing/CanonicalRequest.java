package io.botfleet.signing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The string a request signature covers (docs/protocol.md):
 *
 * <pre>
 * BOTFLEET-ED25519-V1\n{full method}\n{agent}\n{key version}\n{timestamp}\n{nonce}\n{body sha256 hex}
 * </pre>
 *
 * <p>The body is the request message exactly as sent on the wire for calls in which the client
 * sends one message (unary and server streaming), and zero bytes for client and bidi streams.
 *
 * <p>A call a botfleet service makes on behalf of an operator carries {@code botfleet-acting-for}
 * (docs/decisions/0208-gateway-acting-for.md); its value is then signed as an eighth line, {@code
 * botfleet-acting-for:{agent id}}. Without the header the string has seven lines, exactly as
 * before, so a header added or dropped in transit never verifies.
 *
 * @param fullMethod the gRPC full method name, e.g. {@code botfleet.fleet.v1.FleetService/GetBot}
 * @param agentId the signer's agent id
 * @param keyVersion the signer's key version
 * @param timestampMillis epoch milliseconds when the request was signed
 * @param nonce 16 random bytes, base64url without padding
 * @param bodySha256Hex lower-case hex SHA-256 of the body bytes
 * @param actingFor the {@code botfleet-acting-for} value, or null when the call carries none
 */
public record CanonicalRequest(
    String fullMethod,
    String agentId,
    int keyVersion,
    long timestampMillis,
    String nonce,
    String bodySha256Hex,
    String actingFor) {

  /** First line of the canonical string: the scheme and its version. */
  public static final String SCHEME = "BOTFLEET-ED25519-V1";

  /** Hex SHA-256 of zero bytes, the body hash of a stream. */
  public static final String EMPTY_BODY_SHA256 = sha256Hex(new byte[0]);

  /** Prefix of the eighth line, present only when the call acts for another agent. */
  public static final String ACTING_FOR_LINE = "botfleet-acting-for:";

  /** A call made on the signer's own account (no {@code botfleet-acting-for}). */
  public CanonicalRequest(
      String fullMethod,
      String agentId,
      int keyVersion,
      long timestampMillis,
      String nonce,
      String bodySha256Hex) {
    this(fullMethod, agentId, keyVersion, timestampMillis, nonce, bodySha256Hex, null);
  }

  /** The canonical string. */
  public String text() {
    String ownAccount =
        SCHEME
            + '\n'
            + fullMethod
            + '\n'
            + agentId
            + '\n'
            + keyVersion
            + '\n'
            + timestampMillis
            + '\n'
            + nonce
            + '\n'
            + bodySha256Hex;
    return actingFor == null ? ownAccount : ownAccount + '\n' + ACTING_FOR_LINE + actingFor;
  }

  /** The canonical string as UTF-8, the bytes that are signed. */
  public byte[] bytes() {
    return text().getBytes(StandardCharsets.UTF_8);
  }

  /** Lower-case hex SHA-256 of {@code body}. */
  public static String sha256Hex(byte[] body) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
