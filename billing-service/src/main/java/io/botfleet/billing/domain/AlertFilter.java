package io.botfleet.billing.domain;

import java.time.Instant;

/**
 * Filters of a listing of budget alerts, newest first.
 *
 * @param botId only this bot ("" for all)
 * @param period only this month ("" for all)
 * @param kind only this kind (null for all)
 * @param since raised at or after (null: no bound)
 * @param before the position of the previous page's last alert ("" for the first page)
 * @param pageSize alerts per page
 */
public record AlertFilter(
    String botId,
    String period,
    BudgetAlertKind kind,
    Instant since,
    String before,
    int pageSize) {}
