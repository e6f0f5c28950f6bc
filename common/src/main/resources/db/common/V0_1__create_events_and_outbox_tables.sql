-- Shared by every service (from botfleet-common), created in the service's own schema.
-- Versions 0_x sort before every service migration (V1, V2 ...). A later change to these tables
-- needs a version that sorts after what services have applied, or Flyway out-of-order mode:
-- see docs/decisions/0004-shared-tables-in-each-schema.md.

-- The audit trail: every state change, written in the transaction of the change.
create table events (
    seq        bigserial   primary key,
    id         uuid        not null unique,
    type       text        not null,
    agent_id   text,
    actor      text        not null,
    payload    jsonb       not null,
    created_at timestamptz not null default now()
);
create index events_agent_seq_idx on events (agent_id, seq);
create index events_type_seq_idx on events (type, seq);
create index events_created_at_idx on events (created_at);

-- GreenHelix calls implied by a change, written in the same transaction, delivered by the relay
-- in order per agent, each with its own idempotency key.
create table greenhelix_outbox (
    id              bigserial   primary key,
    agent_id        text        not null,
    tool            text        not null,
    input           jsonb       not null,
    idempotency_key uuid        not null unique,
    status          text        not null default 'pending'
                    check (status in ('pending', 'delivered', 'rejected')),
    attempts        integer     not null default 0,
    next_attempt_at timestamptz not null default now(),
    lease_until     timestamptz,
    last_error      text,
    created_at      timestamptz not null default now(),
    delivered_at    timestamptz
);
create index greenhelix_outbox_pending_idx on greenhelix_outbox (agent_id, id) where status = 'pending';
create index greenhelix_outbox_delivered_idx on greenhelix_outbox (delivered_at) where status = 'delivered';

-- Delivered calls per day, agent and tool: what billing charges as API fees. Kept after the
-- delivered outbox rows are purged.
create table greenhelix_usage (
    day      date   not null,
    agent_id text   not null,
    tool     text   not null,
    calls    bigint not null,
    primary key (day, agent_id, tool)
);
