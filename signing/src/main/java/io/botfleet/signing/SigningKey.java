package io.botfleet.signing;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * An Ed25519 private key (its 32-byte seed). Never printed: {@link #toString()} is redacted so a
 * key cannot reach a log by accident.
 */
public final class SigningKey {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Ed25519PrivateKeyParameters key;
  private final VerifyingKey publicKey;

  private SigningKey(Ed25519PrivateKeyParameters key) {
    this.key = key;
    this.publicKey = VerifyingKey.fromRaw(key.generatePublicKey().getEncoded());
  }

  /** Makes a new key from the system's secure random source. */
  public static SigningKey generate() {
    return new SigningKey(new Ed25519PrivateKeyParameters(RANDOM));
  }

  /**
   * The key of a 32-byte seed.
   *
   * @throws IllegalArgumentException if the seed is not 32 bytes
   */
  public static SigningKey fromSeed(byte[] seed) {
    if (seed == null || seed.length != Ed25519PrivateKeyParameters.KEY_SIZE) {
      throw new IllegalArgumentException(
          "an Ed25519 private key is 32 bytes, got " + (seed == null ? 0 : seed.length));
    }
    return new SigningKey(new Ed25519PrivateKeyParameters(seed, 0));
  }

  /**
   * The key of a base64 (standard or URL alphabet) 32-byte seed.
   *
   * @throws IllegalArgumentException if it is not base64 or not 32 bytes
   */
  public static SigningKey fromBase64(String seed) {
    return fromSeed(Base64Codec.decode(seed, "private key"));
  }

  /**
   * Signs a message; Ed25519 is deterministic, so the same key and message give the same 64 bytes.
   */
  public byte[] sign(byte[] message) {
    Ed25519Signer signer = new Ed25519Signer();
    signer.init(true, key);
    signer.update(message, 0, message.length);
    return signer.generateSignature();
  }

  /** The matching public key. */
  public VerifyingKey publicKey() {
    return publicKey;
  }

  /** The seed, base64; only for writing a key file or returning a generated key exactly once. */
  public String seedBase64() {
    byte[] seed = key.getEncoded();
    try {
      return Base64.getEncoder().encodeToString(seed);
    } finally {
      Arrays.fill(seed, (byte) 0);
    }
  }

  @Override
  public String toString() {
    return "SigningKey[public=" + publicKey.base64() + ", private=<redacted>]";
  }
}
