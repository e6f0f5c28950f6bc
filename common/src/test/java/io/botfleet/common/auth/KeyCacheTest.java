package io.botfleet.common.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.botfleet.common.v1.OperatorRole;
import io.botfleet.common.v1.PrincipalKind;
import io.botfleet.signing.SigningKey;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyCacheTest {

  static CachedKey key(String agent, int version, KeyState state) {
    return new CachedKey(
        new Principal(
            agent, PrincipalKind.PRINCIPAL_KIND_BOT, OperatorRole.OPERATOR_ROLE_UNSPECIFIED, agent),
        version,
        SigningKey.generate().publicKey(),
        state);
  }

  @Test
  void duringARotationBothVersionsVerifyAndARetiredOneNoLonger() {
    KeyCache cache = new KeyCache();
    cache.upsert(key("bot-1", 1, KeyState.CURRENT), 1);
    cache.upsert(key("bot-1", 2, KeyState.NEXT), 2);

    assertThat(cache.find("bot-1", 1)).isPresent();
    assertThat(cache.find("bot-1", 2)).isPresent();

    cache.upsert(key("bot-1", 1, KeyState.RETIRED), 3);

    assertThat(cache.find("bot-1", 1)).isEmpty();
    assertThat(cache.find("bot-1", 2)).isPresent();
    assertThat(cache.revision()).isEqualTo(3);
  }

  @Test
  void revocationDropsEveryVersionAndTellsListeners() {
    KeyCache cache = new KeyCache();
    List<String> revoked = new ArrayList<>();
    cache.onRevocation(revoked::add);
    cache.upsert(key("bot-1", 1, KeyState.CURRENT), 1);
    cache.upsert(key("bot-1", 2, KeyState.NEXT), 2);
    cache.upsert(key("bot-2", 1, KeyState.CURRENT), 3);

    cache.revoke("bot-1", 4);

    assertThat(cache.find("bot-1", 1)).isEmpty();
    assertThat(cache.find("bot-1", 2)).isEmpty();
    assertThat(cache.find("bot-2", 1)).isPresent();
    assertThat(revoked).containsExactly("bot-1");
  }

  @Test
  void aSnapshotWithoutAnAgentMeansItWasRevokedWhileWeWereAway() {
    KeyCache cache = new KeyCache();
    List<String> revoked = new ArrayList<>();
    cache.onRevocation(revoked::add);
    cache.upsert(key("bot-1", 1, KeyState.CURRENT), 1);
    cache.upsert(key("bot-2", 1, KeyState.CURRENT), 2);
    assertThat(cache.ready()).isFalse();

    cache.replaceAll(List.of(key("bot-2", 1, KeyState.CURRENT)), 9);

    assertThat(cache.ready()).isTrue();
    assertThat(cache.find("bot-1", 1)).isEmpty();
    assertThat(revoked).containsExactly("bot-1");
    assertThat(cache.revision()).isEqualTo(9);
  }
}
