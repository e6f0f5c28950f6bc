package io.botfleet.sdk.fake;

import io.botfleet.common.auth.KeyState;
import io.botfleet.signing.VerifyingKey;
import java.util.Map;
import java.util.TreeMap;

/**
 * One bot identity of the fake: its key versions and the rotation in progress. Guarded by itself.
 */
final class FakeIdentity {

  record Version(VerifyingKey key, KeyState state) {}

  final String agentId;
  final String name;
  final Map<Integer, Version> versions = new TreeMap<>();
  int current = 1;
  String rotationId;
  int rotationTo;

  FakeIdentity(String agentId, String name) {
    this.agentId = agentId;
    this.name = name;
  }

  void putKey(int version, VerifyingKey key, KeyState state) {
    versions.put(version, new Version(key, state));
  }
}
