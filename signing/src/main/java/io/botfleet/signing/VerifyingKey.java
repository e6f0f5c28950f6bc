package io.botfleet.signing;

import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/** An Ed25519 public key (32 bytes). Immutable and safe to share between threads. */
public final class VerifyingKey {

  /** Length of an Ed25519 public key. */
  public static final int KEY_SIZE = Ed25519PublicKeyParameters.KEY_SIZE;

  /** Length of an Ed25519 signature. */
  public static final int SIGNATURE_SIZE = 64;

  private final Ed25519PublicKeyParameters key;
  private final byte[] raw;

  private VerifyingKey(byte[] raw) {
    this.raw = raw.clone();
    this.key = new Ed25519PublicKeyParameters(this.raw, 0);
  }

  /**
   * The key of 32 raw bytes.
   *
   * @throws IllegalArgumentException if it is not 32 bytes
   */
  public static VerifyingKey fromRaw(byte[] raw) {
    if (raw == null || raw.length != KEY_SIZE) {
      throw new IllegalArgumentException(
          "an Ed25519 public key is 32 bytes, got " + (raw == null ? 0 : raw.length));
    }
    return new VerifyingKey(raw);
  }

  /**
   * The key of its base64 form (standard or URL alphabet, padded or not).
   *
   * @throws IllegalArgumentException if it is not base64 or not 32 bytes
   */
  public static VerifyingKey fromBase64(String base64) {
    return fromRaw(Base64Codec.decode(base64, "public key"));
  }

  /** True if {@code signature} is this key's Ed25519 signature of {@code message}. */
  public boolean verify(byte[] message, byte[] signature) {
    if (signature == null || signature.length != SIGNATURE_SIZE) {
      return false;
    }
    Ed25519Signer verifier = new Ed25519Signer();
    verifier.init(false, key);
    verifier.update(message, 0, message.length);
    return verifier.verifySignature(signature);
  }

  /** The 32 raw bytes (a copy). */
  public byte[] raw() {
    return raw.clone();
  }

  /** The standard padded base64 form, as botfleet's APIs show public keys. */
  public String base64() {
    return Base64.getEncoder().encodeToString(raw);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof VerifyingKey that && Arrays.equals(raw, that.raw);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(raw);
  }

  @Override
  public String toString() {
    return "VerifyingKey[" + base64() + "]";
  }
}
