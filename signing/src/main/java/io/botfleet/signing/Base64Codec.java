package io.botfleet.signing;

import java.util.Base64;

/** Lenient base64 decoding for keys and signatures: standard or URL alphabet, padded or not. */
final class Base64Codec {

  private Base64Codec() {}

  static byte[] decode(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " is empty");
    }
    String normalized = value.trim().replace('-', '+').replace('_', '/');
    try {
      return Base64.getDecoder().decode(normalized);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + " is not valid base64");
    }
  }
}
