-- Live state, raw heartbeats, rollups, health events, alerts and webhooks (issue 10).

-- Tracking ends without deleting the bot: its history stays readable.
alter table tracked_bots add column untracked_at timestamptz;

-- The current state of every tracked bot: one hot row per bot, rewritten by the heartbeat writer
-- (batched, deduplicated per batch). It is how replicas share last-heartbeat times and statuses,
-- and what a restarted replica resumes from. No index but the key, and room on each page, so the
-- rewrites stay HOT updates.
create table bot_states (
    bot_id            text        primary key,
    status            text        not null default 'unknown'
                      check (status in ('unknown', 'healthy', 'warning', 'critical', 'dead')),
    issues            jsonb       not null default '[]',
    status_since      timestamptz not null default now(),
    last_heartbeat_at timestamptz,
    dead_since        timestamptz,
    open_alert_id     uuid,
    last_sequence     bigint,
    heartbeat_time    timestamptz,
    version           text,
    uptime_seconds    bigint,
    latency_ms        double precision,
    pnl_usd           numeric(20, 8),
    drawdown_pct      double precision,
    trade_count       bigint,
    open_positions    integer,
    open_orders       integer,
    memory_mb         double precision,
    cpu_pct           double precision,
    error_count       bigint,
    custom_metrics    jsonb
) with (fillfactor = 70);

-- Raw heartbeats, range-partitioned by day of receipt (UTC). Partitions are created ahead and
-- dropped after botfleet.health.raw-retention by the storage maintenance job.
create table heartbeats (
    bot_id         text             not null,
    received_at    timestamptz      not null,
    sequence       bigint           not null,
    heartbeat_time timestamptz      not null,
    version        text             not null,
    uptime_seconds bigint           not null,
    latency_ms     double precision not null,
    pnl_usd        numeric(20, 8)   not null,
    drawdown_pct   double precision not null,
    trade_count    bigint           not null,
    open_positions integer          not null,
    open_orders    integer          not null,
    memory_mb      double precision not null,
    cpu_pct        double precision not null,
    error_count    bigint           not null,
    custom_metrics jsonb,
    status         text             not null,
    issues         text[]
) partition by range (received_at);
create index heartbeats_bot_time_idx on heartbeats (bot_id, received_at);
create index heartbeats_time_brin on heartbeats using brin (received_at);

-- One row per bot and minute with heartbeats, computed from the raw rows by the rollup job; kept
-- much longer than raw rows (botfleet.health.minute-retention). SLA computes uptime (minutes
-- covered) and latency percentiles (latency_buckets) from these.
-- latency_buckets[i] counts heartbeats with latency_ms <= the i-th bound of
-- {10, 25, 50, 100, 200, 250, 500, 750, 1000, 2000, 5000, 10000, infinity} (and above the one before).
create table heartbeat_minutes (
    bot_id             text             not null,
    minute             timestamptz      not null,
    samples            integer          not null,
    first_at           timestamptz      not null,
    last_at            timestamptz      not null,
    version            text             not null,
    uptime_seconds     bigint           not null,
    latency_avg        double precision not null,
    latency_max        double precision not null,
    latency_buckets    integer[]        not null,
    pnl_avg            numeric(20, 8)   not null,
    pnl_last           numeric(20, 8)   not null,
    drawdown_avg       double precision not null,
    drawdown_max       double precision not null,
    trade_count_last   bigint           not null,
    open_positions_avg double precision not null,
    open_orders_avg    double precision not null,
    memory_avg         double precision not null,
    memory_max         double precision not null,
    cpu_avg            double precision not null,
    error_sum          bigint           not null,
    worst_status       text             not null,
    primary key (bot_id, minute)
) partition by range (minute);

-- How far the rollup job got (one row).
create table rollup_progress (
    id          integer     primary key check (id = 1),
    rolled_upto timestamptz not null
);

-- Health events in commit order: the log WatchHealth serves and resumes from, and how replicas
-- learn each other's status changes. Inserted only under an advisory lock, with seq taken after
-- the lock, so seq order is commit order and a reader that has seen seq N never misses N-1.
create sequence health_events_seq;
create table health_events (
    seq               bigint      primary key,
    origin            text        not null,
    type              text        not null,
    bot_id            text,
    bot_name          text,
    bot_group         text,
    previous_status   text,
    status            text,
    issues            text[]      not null default '{}',
    version           text,
    message           text        not null default '',
    event_time        timestamptz not null,
    last_heartbeat_at timestamptz,
    alert_id          uuid,
    alert_kind        text,
    alert_severity    text,
    alert_state       text,
    alert_raised_at   timestamptz,
    alert_resolved_at timestamptz
);
create index health_events_time_idx on health_events (event_time);

-- Alerts: raised on a change of status for the worse (or a fleet-level condition), resolved when
-- it ends. At most one open alert per bot and kind.
create table alerts (
    id          uuid        primary key,
    bot_id      text,
    bot_name    text        not null default '',
    bot_group   text        not null default '',
    kind        text        not null,
    severity    text        not null check (severity in ('info', 'warning', 'critical')),
    issues      text[]      not null default '{}',
    message     text        not null,
    state       text        not null check (state in ('open', 'resolved')),
    raised_at   timestamptz not null,
    resolved_at timestamptz
);
create index alerts_raised_idx on alerts (raised_at desc, id desc);
create index alerts_bot_idx on alerts (bot_id, raised_at desc);
create unique index alerts_one_open_idx on alerts (coalesce(bot_id, ''), kind) where state = 'open';

-- Webhook subscriptions. The secret is needed to sign every delivery, so it is stored; it is never
-- returned after RegisterWebhook.
create table webhooks (
    id              uuid        primary key,
    url             text        not null,
    event_types     text[]      not null,
    secret          text        not null,
    created_at      timestamptz not null default now(),
    created_by      text        not null,
    delivered_count bigint      not null default 0,
    failed_count    bigint      not null default 0
);

-- Deliveries (the delivery log), written in the transaction of the event they carry. id is the
-- webhook-id header: the receiver's idempotency key, the same on every retry.
create table webhook_deliveries (
    id               uuid        primary key,
    webhook_id       uuid        not null references webhooks (id) on delete cascade,
    event_type       text        not null,
    payload          jsonb       not null,
    state            text        not null default 'pending'
                     check (state in ('pending', 'delivered', 'failed')),
    attempts         integer     not null default 0,
    next_attempt_at  timestamptz not null default now(),
    lease_until      timestamptz,
    last_status_code integer     not null default 0,
    last_error       text,
    created_at       timestamptz not null default now(),
    ended_at         timestamptz
);
create index webhook_deliveries_due_idx on webhook_deliveries (next_attempt_at) where state = 'pending';
create index webhook_deliveries_log_idx on webhook_deliveries (webhook_id, created_at desc, id desc);
