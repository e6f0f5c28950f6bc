package io.botfleet.identity.domain;

/**
 * The outcome of VerifySignature.
 *
 * @param valid true if the signature is valid for that key version, whatever its status now
 * @param keyStatus the status of that key version now
 * @param identityStatus the status of the identity now
 */
public record SignatureCheck(boolean valid, KeyStatus keyStatus, IdentityStatus identityStatus) {}
