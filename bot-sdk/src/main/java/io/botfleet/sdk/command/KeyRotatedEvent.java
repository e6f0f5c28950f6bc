package io.botfleet.sdk.command;

/**
 * The SDK carried out a {@code rotate_key} command: it made a new keypair, registered the public
 * key in a request signed with the old key (with a proof of possession), switched to the new key
 * and confirmed. Every call from now on is signed with the new key; the old one is retired.
 *
 * @param info the rotate_key command
 * @param rotationId the rotation
 * @param oldKeyVersion the version replaced
 * @param newKeyVersion the version now signing
 */
public record KeyRotatedEvent(
    CommandInfo info, String rotationId, int oldKeyVersion, int newKeyVersion) {}
