-- The permissions of each bot: the guide's assignment record, its restrictions, and what is
-- enforced on top of it (an escalated tier, a suspension). One row per bot: a bot holds one key on
-- one exchange.
create table assignments (
    agent_id              text        primary key,
    bot_name              text        not null,
    bot_group             text,
    role                  text        not null check (role in ('trading_bot', 'withdrawal_agent')),
    exchange              text        not null,
    -- The tier assigned; the tier in force differs only while an escalation is active.
    base_tier             text        not null references tiers (name),
    tier                  text        not null references tiers (name),
    escalation_id         uuid,
    -- When the active escalation ends (copied from escalations so a check needs no join).
    escalation_ends_at    timestamptz,
    -- Restrictions: null or empty does not restrict.
    max_order_size_usd    numeric,
    max_position_usd      numeric,
    allowed_pairs         text[]      not null default '{}',
    allowed_instruments   text[]      not null default '{}',
    max_delta_exposure    numeric,
    denied_actions        text[]      not null default '{}',
    assigned_by           text        not null,
    assigned_at           timestamptz not null,
    -- A pause or an emergency stop enforced here; null when not suspended.
    suspension_mode       text        check (suspension_mode in ('PAUSED', 'STOPPED')),
    suspension_reason     text,
    suspended_by          text,
    suspended_at          timestamptz,
    suspension_command_id text,
    check ((suspension_mode is null) = (suspended_at is null))
);
create index assignments_suspended_idx on assignments (agent_id) where suspension_mode is not null;

-- Idempotency keys of AssignPermissions: a retry returns the bot's assignment instead of
-- assigning (and announcing) it again.
create table assignment_requests (
    request_id text        primary key,
    agent_id   text        not null,
    created_at timestamptz not null default now()
);

-- Requests to raise a bot's tier, and their outcome. A second ADMIN approves; an approved one may
-- end at expires_at, when the base tier comes back.
create table escalations (
    id                uuid        primary key,
    agent_id          text        not null,
    bot_name          text        not null,
    old_tier          text        not null references tiers (name),
    new_tier          text        not null references tiers (name),
    reason            text        not null,
    requested_by      text        not null,
    requested_at      timestamptz not null,
    approval_deadline timestamptz not null,
    -- How long it lasts once approved; null: until the bot's permissions are assigned again.
    duration_seconds  bigint,
    state             text        not null check (state in ('PENDING', 'ACTIVE', 'DENIED', 'EXPIRED')),
    decided_by        text,
    decided_at        timestamptz,
    decision_note     text,
    expires_at        timestamptz,
    ended_at          timestamptz
);
-- At most one open request and one escalation in force per bot.
create unique index escalations_one_pending_idx on escalations (agent_id) where state = 'PENDING';
create unique index escalations_one_active_idx on escalations (agent_id) where state = 'ACTIVE';
create index escalations_newest_idx on escalations (requested_at desc, id desc);
create index escalations_agent_idx on escalations (agent_id, requested_at desc);
create index escalations_due_idx on escalations (approval_deadline) where state = 'PENDING';
create index escalations_ending_idx on escalations (expires_at) where state = 'ACTIVE';

-- Which bots changed, in commit order (writers hold an advisory lock while they append), so every
-- replica can bring its in-memory view of the assignments up to date by reading what changed after
-- the last revision it applied. Rows older than a day are purged; a replica further behind
-- reloads everything.
create table assignment_changes (
    revision   bigserial   primary key,
    agent_id   text        not null,
    changed_at timestamptz not null default now()
);
create index assignment_changes_changed_at_idx on assignment_changes (changed_at);
