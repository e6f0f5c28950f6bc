-- Identities of bots, operators and services (chapter 3 of the guide).
create table identities (
    id                  text        primary key,
    name                text        not null,
    organization        text        not null,
    kind                text        not null check (kind in ('BOT', 'OPERATOR', 'SERVICE')),
    operator_role       text        check (operator_role in ('VIEWER', 'OPERATOR', 'ADMIN')),
    role                text        not null,
    fleet_manager       text,
    bot_group           text,
    exchange            text,
    strategy            text,
    version             text,
    capabilities        text[]      not null default '{}',
    max_position_usd    numeric(20, 2),
    metadata            jsonb       not null default '{}',
    description         text,
    status              text        not null check (status in ('PENDING_ENROLLMENT', 'ACTIVE', 'REVOKED')),
    key_version         integer     not null default 0,
    greenhelix_agent_id text,
    request_id          text        unique,
    created_at          timestamptz not null default now(),
    revoked_at          timestamptz,
    revoke_reason       text,
    next_rotation_at    timestamptz
);
-- A name is unique in its organization among identities that are not revoked: a compromised
-- bot's name can be registered again, under a new id (a revoked id is never reused).
create unique index identities_live_name_idx on identities (organization, name) where status <> 'REVOKED';
create index identities_kind_status_idx on identities (kind, status);

-- Every key version an identity ever had. Private keys are never stored.
create table identity_keys (
    agent_id    text        not null references identities (id),
    key_version integer     not null,
    public_key  bytea       not null check (length(public_key) = 32),
    status      text        not null check (status in ('CURRENT', 'NEXT', 'RETIRED', 'REVOKED')),
    created_at  timestamptz not null default now(),
    retired_at  timestamptz,
    primary key (agent_id, key_version)
);

-- The key feed (WatchKeys): one row per change, in commit order of revision.
create table key_changes (
    revision    bigserial   primary key,
    agent_id    text        not null,
    key_version integer,
    change      text        not null check (change in ('UPSERTED', 'REVOKED')),
    created_at  timestamptz not null default now()
);
