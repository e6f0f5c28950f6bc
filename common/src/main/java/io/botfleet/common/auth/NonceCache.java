package io.botfleet.common.auth;

import java.util.Base64;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Remembers the nonces of accepted requests for as long as their timestamps are inside the skew
 * window, so a replayed request is refused. Memory is about 120 bytes per request accepted in the
 * last two windows (at 1,000 signed requests per second and a 30 s skew: about 7 MB).
 *
 * <p>Per service instance: a request replayed against another replica within the window is not
 * caught here (docs/protocol.md says so; the skew window bounds it).
 */
final class NonceCache {

  private record Nonce(long high, long low) {}

  private record Expiry(Nonce nonce, long expiresAtMillis) {}

  private final ConcurrentHashMap<Nonce, Long> seen = new ConcurrentHashMap<>();
  private final Queue<Expiry> byArrival = new ConcurrentLinkedQueue<>();

  /**
   * Records a nonce; false if it was seen and has not expired (a replay).
   *
   * @param nonce the bf-nonce value (16 bytes base64url)
   * @param expiresAtMillis when the request's timestamp leaves the skew window
   * @param nowMillis the current time
   */
  boolean firstUse(String nonce, long expiresAtMillis, long nowMillis) {
    purge(nowMillis);
    byte[] raw = Base64.getUrlDecoder().decode(nonce);
    Nonce key = new Nonce(longAt(raw, 0), longAt(raw, 8));
    Long previous = seen.putIfAbsent(key, expiresAtMillis);
    if (previous != null && previous > nowMillis) {
      return false;
    }
    if (previous != null) {
      seen.put(key, expiresAtMillis);
    }
    byArrival.add(new Expiry(key, expiresAtMillis));
    return true;
  }

  int size() {
    return seen.size();
  }

  private void purge(long nowMillis) {
    Expiry head;
    while ((head = byArrival.peek()) != null && head.expiresAtMillis() <= nowMillis) {
      if (byArrival.remove(head)) {
        seen.remove(head.nonce(), head.expiresAtMillis());
      }
    }
  }

  private static long longAt(byte[] raw, int offset) {
    long value = 0;
    for (int i = offset; i < offset + 8; i++) {
      value = (value << 8) | (raw[i] & 0xff);
    }
    return value;
  }
}
