package io.botfleet.sdk.fake;

/**
 * One call as the fake control plane authenticated it.
 *
 * @param method the full method name
 * @param agentId the signer (empty for a public call)
 * @param keyVersion the key version that signed (0 for a public call)
 * @param refusal why it was refused, or null if it verified
 */
public record CallRecord(String method, String agentId, int keyVersion, String refusal) {

  /** True if the signature verified (or the call was public). */
  public boolean verified() {
    return refusal == null;
  }
}
