package io.botfleet.common.auth;

import io.botfleet.signing.VerifyingKey;

/**
 * One key version of one principal, as the key cache holds it.
 *
 * @param principal who it belongs to
 * @param keyVersion its version
 * @param key the public key
 * @param state what it may still do
 */
public record CachedKey(Principal principal, int keyVersion, VerifyingKey key, KeyState state) {}
