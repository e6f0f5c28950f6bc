-- Deployments (chapter 6) as persisted state machines: everything needed to resume one after a
-- restart is in these rows. lease_owner/lease_until give one replica the right to drive it.
create table deployments (
    id                    text        primary key,
    version               text        not null,
    artifact_ref          text        not null,
    target_group          text,
    selector              jsonb       not null,
    strategy              text        not null check (strategy in ('CANARY', 'ROLLING', 'ALL_AT_ONCE')),
    parameters            jsonb       not null default '{}',
    steps                 jsonb       not null default '[]',
    current_step          integer     not null default 0,
    state                 text        not null check (state in ('PENDING', 'CANARY', 'ROLLING', 'COMPLETE',
                          'PAUSED', 'ROLLING_BACK', 'ROLLED_BACK', 'ABORTED', 'FAILED')),
    paused_from           text,
    canary_bot_id         text,
    canary_bot_name       text,
    requested_by          text        not null,
    reason                text,
    request_id            text        unique,
    created_at            timestamptz not null default now(),
    started_at            timestamptz,
    ended_at              timestamptz,
    retain_previous_until timestamptz,
    step_started_at       timestamptz,
    lease_owner           text,
    lease_until           timestamptz
);
create index deployments_group_idx on deployments (target_group, created_at desc);
create index deployments_state_idx on deployments (state);

-- Each selected bot within a deployment, with the version it ran before (rollback target).
create table deployment_bots (
    deployment_id    text        not null references deployments (id),
    bot_id           text        not null,
    bot_name         text        not null,
    previous_version text        not null,
    state            text        not null check (state in ('WAITING', 'DRAINING', 'UPDATING', 'UPDATED',
                     'FAILED', 'ROLLING_BACK', 'ROLLED_BACK', 'SKIPPED')),
    batch            integer     not null,
    command_id       text,
    message          text,
    updated_at       timestamptz not null default now(),
    primary key (deployment_id, bot_id)
);

-- The outcome of every analysis (health gate).
create table deployment_gates (
    deployment_id text        not null references deployments (id),
    step          integer     not null,
    result        text        not null check (result in ('SUCCESSFUL', 'FAILED', 'INCONCLUSIVE')),
    reasons       text[]      not null default '{}',
    decided_at    timestamptz not null default now(),
    primary key (deployment_id, step, decided_at)
);
