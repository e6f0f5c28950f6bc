-- Chapter 8 beyond manual entries: fills, recurring cost models, budgets and their alerts, pauses
-- that must not be lost, the bot directory, and what the daily jobs have booked.

-- Keyset order of entries (oldest first), the exchange of a fill's fee, and the group of a shared
-- cost no bot could carry. Names, groups and strategies of bots come from the directory below.
alter table cost_entries add column seq bigserial;
alter table cost_entries add column exchange text;
alter table cost_entries add column group_name text;
create unique index cost_entries_seq_idx on cost_entries (seq);
create index cost_entries_date_seq_idx on cost_entries (incurred_date, seq);
create index cost_entries_unnamed_idx on cost_entries (bot_id) where bot_name is null;

-- What fleet-service says about each bot, refreshed by a job and on a miss. A cost is never refused
-- because fleet-service is down: it is booked by bot id and its name filled in from here later.
create table bots (
    bot_id       text        primary key,
    name         text        not null,
    group_name   text        not null,
    strategy     text        not null,
    exchange     text        not null,
    status       text        not null,
    standby      boolean     not null default false,
    refreshed_at timestamptz not null
);

-- Trades reported by bots. A fill is booked once per bot, exchange and fill id (exchanges number
-- fills per exchange, and an arbitrage bot trades on several).
create table fills (
    bot_id           text           not null,
    exchange         text           not null,
    fill_id          text           not null,
    pair             text           not null,
    side             text           not null check (side in ('BUY', 'SELL')),
    size             numeric        not null,
    price            numeric        not null,
    fee              numeric        not null,
    fee_currency     text           not null,
    fee_usd          numeric(20, 8) not null,
    fill_time        timestamptz    not null,
    realized_pnl_usd numeric(20, 8),
    received_at      timestamptz    not null default now(),
    primary key (bot_id, exchange, fill_id)
);
create index fills_bot_time_idx on fills (bot_id, fill_time);

-- Recurring costs, accrued daily (monthly amount in cents spread over the month's days).
create table cost_models (
    id                 uuid           primary key,
    name               text           not null unique,
    category           text           not null check (category in ('EXCHANGE_FEES', 'API_FEES',
                       'INFRASTRUCTURE', 'MARKET_DATA', 'NETWORK', 'EXCHANGE_API_FEES')),
    monthly_amount_usd numeric(20, 8) not null check (monthly_amount_usd > 0),
    bot_id             text,
    group_name         text,
    fleet              boolean        not null default false,
    split              text           not null check (split in ('EVEN', 'BY_USAGE')),
    start_date         date           not null,
    end_date           date,
    created_by         text           not null,
    created_at         timestamptz    not null,
    updated_at         timestamptz    not null,
    check (num_nonnulls(bot_id, group_name) + (case when fleet then 1 else 0 end) = 1),
    check (end_date is null or end_date >= start_date)
);

-- One row per model and day booked: the accrual job books each day once, and catches up the days
-- it finds missing (after downtime, or a start date in the past).
create table cost_model_accruals (
    model_id   uuid           not null references cost_models (id),
    day        date           not null,
    amount_usd numeric(20, 8) not null,
    bots       integer        not null,
    booked_at  timestamptz    not null default now(),
    primary key (model_id, day)
);

-- Monthly budgets: one per bot, or a group's default.
create table budgets (
    id                  uuid           primary key,
    bot_id              text           unique,
    group_name          text           unique,
    monthly_budget_usd  numeric(20, 8) not null check (monthly_budget_usd > 0),
    pause_when_exceeded boolean        not null,
    set_by              text           not null,
    updated_at          timestamptz    not null,
    check (num_nonnulls(bot_id, group_name) = 1)
);

-- Budget alerts, raised once per bot, month, threshold and budget amount (a changed budget arms
-- its thresholds again).
create table budget_alerts (
    seq             bigserial      primary key,
    id              uuid           not null unique,
    kind            text           not null check (kind in ('WARNING', 'EXCEEDED')),
    bot_id          text           not null,
    bot_name        text,
    period          text           not null,
    budget_usd      numeric(20, 8) not null,
    spent_usd       numeric(20, 8) not null,
    utilization_pct numeric(12, 1) not null,
    bot_paused      boolean        not null default false,
    created_at      timestamptz    not null default now(),
    unique (bot_id, period, kind, budget_usd)
);
create index budget_alerts_bot_seq_idx on budget_alerts (bot_id, seq);

-- Calls to other services that must happen even if the callee is down when they are decided (a
-- pause over budget): written with the alert, retried with backoff until the callee answers.
create table pending_actions (
    id              uuid        primary key,
    kind            text        not null check (kind in ('PAUSE_BOT')),
    bot_id          text        not null,
    alert_id        uuid        references budget_alerts (id),
    reason          text        not null,
    request_id      text        not null unique,
    status          text        not null default 'PENDING' check (status in ('PENDING', 'DONE', 'FAILED')),
    attempts        integer     not null default 0,
    next_attempt_at timestamptz not null default now(),
    lease_until     timestamptz,
    last_error      text,
    result          text,
    created_at      timestamptz not null default now(),
    done_at         timestamptz
);
create index pending_actions_due_idx on pending_actions (next_attempt_at) where status = 'PENDING';

-- GreenHelix API fees booked per day and service whose outbox made the calls.
create table api_fee_days (
    day        date           not null,
    service    text           not null,
    calls      bigint         not null,
    amount_usd numeric(20, 8) not null,
    booked_at  timestamptz    not null default now(),
    primary key (day, service)
);

-- Days whose cost and ROI metrics went to GreenHelix.
create table metric_days (
    day          date        primary key,
    bots         integer     not null,
    submitted_at timestamptz not null default now()
);

-- Small facts the jobs keep: metrics are submitted for days from the installation on.
create table job_state (
    name  text primary key,
    value text not null
);
insert into job_state (name, value)
values ('metrics_since', to_char((now() at time zone 'UTC')::date, 'YYYY-MM-DD'));
