package io.botfleet.identity.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * One-time tokens: a prefix naming what they are for ({@code bfe_} enrollment, {@code bfb_}
 * bootstrap) and 32 random bytes as 43 base64url characters. Only their SHA-256 is stored, so a
 * copy of the database enrolls nobody.
 */
public final class OneTimeTokens {

  /** Prefix of enrollment tokens. */
  public static final String ENROLLMENT = "bfe_";

  /** Prefix of bootstrap tokens. */
  public static final String BOOTSTRAP = "bfb_";

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern BODY = Pattern.compile("[A-Za-z0-9_-]{43}");

  private OneTimeTokens() {}

  /** A new token with a prefix. */
  public static String generate(String prefix) {
    byte[] random = new byte[32];
    RANDOM.nextBytes(random);
    return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
  }

  /** True if {@code token} has the shape of a token with this prefix. */
  public static boolean wellFormed(String token, String prefix) {
    return token != null
        && token.startsWith(prefix)
        && BODY.matcher(token.substring(prefix.length())).matches();
  }

  /** SHA-256 of the token's UTF-8 bytes: what is stored. */
  public static byte[] hash(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** The lower-case hex SHA-256, as the enrollment challenge carries it. */
  public static String hashHex(String token) {
    return HexFormat.of().formatHex(hash(token));
  }
}
