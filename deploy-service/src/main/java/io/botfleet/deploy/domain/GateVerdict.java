package io.botfleet.deploy.domain;

import java.util.List;

/**
 * The outcome of an analysis.
 *
 * @param result what it concluded
 * @param reasons why, one line each, e.g. "perp-momentum-02 error_count 7.50/hb vs group 0.40/hb
 *     (margin 2)"
 */
public record GateVerdict(AnalysisResult result, List<String> reasons) {

  public GateVerdict {
    reasons = List.copyOf(reasons);
  }
}
