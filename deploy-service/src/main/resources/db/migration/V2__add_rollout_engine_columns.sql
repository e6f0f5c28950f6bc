-- What the rollout engine needs beyond V1 so that a deployment resumes exactly where it was after a
-- restart: every intent is recorded before the call that carries it out, every command id after.

-- Why a deployment is paused: decides whether ResumeDeployment continues the step or moves past it.
alter table deployments
    add column pause_cause text check (pause_cause in ('OPERATOR', 'DEADLINE', 'INCONCLUSIVE', 'PROMOTION')),
    add column updated_at  timestamptz not null default now();

-- One active deployment per group. CreateDeployment checks first under a lock (and also refuses any
-- overlap of bots); this index is the last guard.
create unique index deployments_one_active_per_group on deployments (target_group)
    where target_group is not null
      and state in ('PENDING', 'CANARY', 'ROLLING', 'PAUSED', 'ROLLING_BACK');

alter table deployment_bots
    -- The bot's group (a chosen-bots deployment may span groups; conflicts are checked per group).
    add column bot_group             text        not null default '',
    -- Order of update within the deployment (canaries first).
    add column position              integer     not null default 0,
    -- The artifact of the previous version when a deployment of ours shipped it (sent on rollback).
    add column previous_artifact_ref text,
    -- Stateful groups: the deployment paused the bot to drain it, and must resume it.
    add column paused_by_deployment  boolean     not null default false,
    add column drain_command_id      text,
    add column drain_started_at      timestamptz,
    add column resume_command_id     text,
    -- update_version: decided under this idempotency key (bots decided together share it), then
    -- sent; the delivery state last seen; when the bot acknowledged; when it heartbeated the version.
    add column update_request_id     text,
    add column update_command_id     text,
    add column update_delivery       text,
    add column acked_at              timestamptz,
    add column confirmed_at          timestamptz,
    -- rollback_version, likewise.
    add column rollback_request_id   text,
    add column rollback_command_id   text,
    add column rollback_delivery     text,
    add column rollback_acked_at     timestamptz;
create index deployment_bots_group_idx on deployment_bots (bot_group);
create index deployment_bots_bot_idx on deployment_bots (bot_id);

-- Progress of each deployment, one line per change, for WatchDeployment on any replica.
create table deployment_progress (
    seq           bigserial   primary key,
    deployment_id text        not null references deployments (id),
    message       text        not null,
    created_at    timestamptz not null default now()
);
create index deployment_progress_deployment_idx on deployment_progress (deployment_id, seq);
