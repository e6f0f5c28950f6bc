package io.botfleet.common.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.botfleet.signing.RequestSigner;
import org.junit.jupiter.api.Test;

class NonceCacheTest {

  @Test
  void aNonceIsAcceptedOnceWhileItsTimestampIsInTheWindow() {
    NonceCache cache = new NonceCache();
    String nonce = RequestSigner.newNonce();

    assertThat(cache.firstUse(nonce, 30_000, 0)).isTrue();
    assertThat(cache.firstUse(nonce, 30_000, 10_000)).isFalse();
    assertThat(cache.firstUse(RequestSigner.newNonce(), 30_000, 10_000)).isTrue();
  }

  @Test
  void expiredNoncesAreForgottenSoMemoryStaysBounded() {
    NonceCache cache = new NonceCache();
    for (int i = 0; i < 1000; i++) {
      cache.firstUse(RequestSigner.newNonce(), 30_000, 0);
    }
    assertThat(cache.size()).isEqualTo(1000);

    cache.firstUse(RequestSigner.newNonce(), 90_000, 60_000);

    assertThat(cache.size()).isEqualTo(1);
  }
}
