-- What fleet-service needs beyond the inventory of V1: durable per-bot commands, the progress of
-- registrations, failovers, the queue of calls to other services, leases for single-owner work,
-- and where the health watch stands.

-- The operator's last word on a bot (run, pause, stop), kept apart from liveness so that a dead or
-- never-connected bot comes back in the state it was told to be in.
alter table bots add column control text not null default 'ACTIVE'
    check (control in ('ACTIVE', 'PAUSED', 'STOPPED'));
-- The bot's last command sequence: commands for one bot take the next number under the row lock,
-- so sequence order is commit order.
alter table bots add column command_seq bigint not null default 0;
-- The replica that holds the bot's command stream, if any (see fleet_replicas).
alter table bots add column connected_replica text;
alter table bots add column connected_at timestamptz;
alter table bots add column dead_at timestamptz;
-- DEREGISTERING bots: when the grace period ends (or the bot acknowledged its shutdown).
alter table bots add column deregister_due_at timestamptz;
alter table bots add column status_changed_at timestamptz not null default now();
create index bots_deregister_due_idx on bots (deregister_due_at) where status = 'DEREGISTERING';
-- Room in each page, so that a command's update of a bot (its sequence, and its status when that
-- does not change) stays on the page without new index entries (a HOT update).
alter table bots set (fillfactor = 70);
create index bots_connected_idx on bots (connected_replica) where connected_replica is not null;

-- A command to one or many bots. The payload is the guide's payload as sent to every bot.
create table commands (
    id           uuid        primary key,
    type         text        not null,
    payload      jsonb       not null,
    scope        jsonb       not null,
    issued_by    text        not null,
    created_at   timestamptz not null default now(),
    expires_at   timestamptz not null,
    request_id   text        unique,
    priority     boolean     not null default false,
    target_count integer     not null default 0,
    -- false until its GreenHelix send_message calls were queued (off the kill switch's path).
    mirrored     boolean     not null default false
);
create index commands_unmirrored_idx on commands (created_at) where not mirrored;

-- One bot's copy of a command. (bot_id, sequence) is the bot's order of application.
-- No foreign keys: rows are written only by the statement that issues a command, from the bots it
-- has just locked and the command it has just inserted, and neither is ever deleted; the two
-- checks per row made a fleet-wide emergency stop's insert about three times slower.
create table command_deliveries (
    command_id uuid        not null,
    bot_id     text        not null,
    sequence   bigint      not null,
    state      text        not null check (state in ('PENDING', 'SENT', 'ACCEPTED', 'DONE',
               'REJECTED', 'FAILED', 'EXPIRED', 'CANCELLED')),
    priority   boolean     not null,
    expires_at timestamptz not null,
    message    text,
    sent_at    timestamptz,
    updated_at timestamptz not null default now(),
    primary key (bot_id, sequence),
    unique (command_id, bot_id)
) with (fillfactor = 50);
-- What a (re)connecting bot must still receive: its unexpired deliveries. No index holds `state`,
-- and the page keeps room, so that a send and an ack (two updates of every delivery of a
-- fleet-wide kill switch) are HOT updates: no index entry is written for them. An expired delivery
-- is not rewritten either: pending or sent past its expiry reads as EXPIRED.
create index command_deliveries_bot_expiry_idx on command_deliveries (bot_id, expires_at);

-- Progress of a RegisterBot across identity, permission and health, so that a retry resumes it
-- and an abandoned one is undone.
create table registrations (
    request_id     text        primary key,
    attempt        integer     not null default 1,
    request        jsonb       not null,
    state          text        not null check (state in ('STARTED', 'IDENTITY_REGISTERED',
                   'PERMISSIONS_ASSIGNED', 'HEALTH_TRACKED', 'COMPLETED', 'COMPENSATING', 'FAILED')),
    bot_id         text,
    -- While COMPENSATING: the state reached when the failure happened.
    reached        text,
    -- The step that failed and how (kept so the operator can be told).
    error_kind     text,
    error_reason   text,
    error_message  text,
    lease_until    timestamptz,
    created_at     timestamptz not null default now(),
    updated_at     timestamptz not null default now()
);
create index registrations_open_idx on registrations (updated_at)
    where state not in ('COMPLETED', 'FAILED');

-- Failovers from a dead bot to its replacement. One per death of a bot.
create table failovers (
    id                 uuid        primary key,
    dead_bot_id        text        not null references bots (id),
    replacement_bot_id text        not null references bots (id),
    bot_group          text        not null,
    exchange           text        not null,
    reconcile_positions boolean    not null,
    automatic          boolean     not null,
    command_id         uuid        not null references commands (id),
    initiated_by       text        not null,
    dead_at            timestamptz not null,
    request_id         text        unique,
    created_at         timestamptz not null default now(),
    unique (dead_bot_id, dead_at)
);

-- Calls to identity, permission and health that must happen even if the service dies or the callee
-- is down for a while: done in order per lane (callee), retried with backoff.
create table fleet_tasks (
    id         bigserial   primary key,
    lane       text        not null check (lane in ('identity', 'permission', 'health')),
    kind       text        not null,
    input      jsonb       not null,
    due_at     timestamptz not null default now(),
    attempts   integer     not null default 0,
    last_error text,
    created_at timestamptz not null default now(),
    done_at    timestamptz
);
create index fleet_tasks_open_idx on fleet_tasks (lane, id) where done_at is null;

-- Leases for work that one replica does at a time (the health watch, scheduled key rotation).
create table leases (
    name       text        primary key,
    holder     text        not null,
    expires_at timestamptz not null
);

-- Where the health watch stands: the last WatchHealth sequence applied, and whether health-service
-- reports a mass silence.
create table health_watch (
    singleton      boolean     primary key default true check (singleton),
    after_sequence bigint      not null default 0,
    mass_silence   boolean     not null default false,
    updated_at     timestamptz not null default now()
);
insert into health_watch (singleton) values (true);

-- The replicas of fleet-service that are alive, so a stream held by a crashed one is not counted.
create table fleet_replicas (
    id         text        primary key,
    started_at timestamptz not null default now(),
    seen_at    timestamptz not null default now()
);
