-- Thresholds of evaluation and dead-bot detection. bot_group '' is the fleet-wide policy; a
-- group's row overrides only the columns it sets (null inherits from the fleet policy, whose
-- nulls are the guide's defaults).
create table health_policies (
    bot_group             text        primary key,
    heartbeat_interval_ms bigint      check (heartbeat_interval_ms between 1000 and 3600000),
    dead_after_ms         bigint      check (dead_after_ms between 10000 and 3600000),
    drawdown_warning_pct  double precision,
    drawdown_critical_pct double precision,
    latency_warning_ms    double precision,
    latency_critical_ms   double precision,
    errors_warning        bigint,
    errors_critical       bigint,
    memory_critical_mb    double precision,
    updated_at            timestamptz not null default now(),
    updated_by            text        not null
);

-- The bots health-service tracks (fleet-service tells it with TrackBot).
create table tracked_bots (
    bot_id     text        primary key,
    bot_name   text        not null,
    bot_group  text        not null,
    exchange   text,
    strategy   text,
    standby    boolean     not null default false,
    tracked_at timestamptz not null default now()
);
create index tracked_bots_group_idx on tracked_bots (bot_group);
