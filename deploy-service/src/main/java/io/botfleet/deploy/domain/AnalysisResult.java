package io.botfleet.deploy.domain;

/** What an analysis concluded. */
public enum AnalysisResult {
  /** Gate passed: continue. */
  SUCCESSFUL,
  /** Gate failed: roll back automatically. */
  FAILED,
  /** Not enough data to judge (a silent metric source is never a pass): pause for a human. */
  INCONCLUSIVE
}
