-- The fleet of this installation (one; InitFleet creates it) and its manager identity.
create table fleets (
    organization       text        primary key,
    fleet_manager_id   text        not null,
    fleet_manager_name text        not null,
    created_at         timestamptz not null default now(),
    singleton          boolean     not null default true unique check (singleton)
);

-- The bots of the fleet (chapter 2). Deregistered and revoked bots stay, for the audit trail.
create table bots (
    id                text          primary key,
    name              text          not null,
    bot_group         text          not null,
    exchange          text          not null,
    strategy          text          not null,
    version           text          not null,
    status            text          not null check (status in ('PENDING', 'ACTIVE', 'PAUSED', 'STOPPED',
                      'DEAD', 'STANDBY', 'DEREGISTERING', 'DEREGISTERED', 'REVOKED')),
    capabilities      text[]        not null default '{}',
    max_position_usd  numeric(20, 2) not null,
    metadata          jsonb         not null default '{}',
    role              text          not null default 'trading_bot',
    tier              text          not null,
    standby           boolean       not null default false,
    registered_at     timestamptz   not null default now(),
    last_heartbeat_at timestamptz,
    status_reason     text,
    request_id        text          unique
);
-- A name is unique among bots still in the fleet.
create unique index bots_live_name_idx on bots (name) where status not in ('DEREGISTERED', 'REVOKED');
create index bots_group_idx on bots (bot_group);
create index bots_status_idx on bots (status);

-- Operational policy per group (failover, statefulness). Groups without a row use the defaults.
create table group_policies (
    bot_group         text             primary key,
    failover_mode     text             not null default 'MANUAL' check (failover_mode in ('MANUAL', 'AUTOMATIC')),
    stateful          boolean          not null default false,
    min_healthy_share double precision not null default 0.8 check (min_healthy_share between 0 and 1),
    updated_at        timestamptz      not null default now(),
    updated_by        text             not null
);
