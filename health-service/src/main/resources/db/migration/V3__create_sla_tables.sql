-- SLA tracking (issue 13). Targets per bot or per group; a bot's own targets override its group's.
create table sla_targets (
    subject_kind       text             not null check (subject_kind in ('bot', 'group')),
    subject            text             not null,
    uptime_pct         double precision not null check (uptime_pct > 0 and uptime_pct < 100),
    max_drawdown_pct   double precision not null check (max_drawdown_pct > 0),
    min_trades_per_day bigint           not null check (min_trades_per_day > 0),
    max_latency_ms     double precision not null check (max_latency_ms > 0),
    updated_at         timestamptz      not null,
    updated_by         text             not null,
    primary key (subject_kind, subject)
);

-- Where each bot's SLA escalation stands, so a level is acted on once when it is reached (not at
-- every check) whichever replica runs the check, and its reliability score.
create table sla_states (
    bot_id            text             primary key,
    level             text             not null default 'none'
                      check (level in ('none', 'warning', 'violation', 'critical')),
    findings          text[]           not null default '{}',
    burn              text             not null default 'none' check (burn in ('none', 'slow', 'fast')),
    alert_id          uuid,
    burn_alert_id     uuid,
    checked_at        timestamptz,
    reliability_score double precision,
    reliability_at    timestamptz,
    mirrored_on       date,
    -- GreenHelix's get_agent_reputation score, when GreenHelix is enabled and answered.
    greenhelix_reputation    double precision,
    greenhelix_reputation_at timestamptz
);
