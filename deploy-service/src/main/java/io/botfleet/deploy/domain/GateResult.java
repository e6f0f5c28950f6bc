package io.botfleet.deploy.domain;

import java.time.Instant;
import java.util.List;

/**
 * The recorded outcome of one analysis.
 *
 * @param step the step index
 * @param result the result
 * @param reasons why
 * @param decidedAt when
 */
public record GateResult(
    int step, AnalysisResult result, List<String> reasons, Instant decidedAt) {}
