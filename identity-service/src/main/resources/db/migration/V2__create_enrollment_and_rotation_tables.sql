-- One-time enrollment tokens: an operator issues one for a pending identity; its owner enrolls the
-- public key it made. Only the SHA-256 of a token is stored (hex); the token is shown once.
create table enrollment_tokens (
    token_hash  text        primary key check (token_hash ~ '^[0-9a-f]{64}$'),
    agent_id    text        not null references identities (id),
    name        text        not null,
    bot_group   text,
    created_by  text        not null,
    created_at  timestamptz not null,
    expires_at  timestamptz not null,
    used_at     timestamptz
);
create index enrollment_tokens_agent_idx on enrollment_tokens (agent_id);

-- One-time bootstrap tokens of a fresh installation (no administrator yet): each replica writes its
-- own to its bootstrap file at start. All are deleted once the first administrator exists.
create table bootstrap_tokens (
    token_hash text        primary key check (token_hash ~ '^[0-9a-f]{64}$'),
    created_at timestamptz not null
);

-- Key rotations, a persisted state machine: AWAITING_KEY -> AWAITING_CONFIRMATION -> COMPLETED,
-- or CANCELLED. Deadlines are driven by whichever replica locks the identity first.
create table key_rotations (
    id                   uuid        primary key,
    agent_id             text        not null references identities (id),
    from_key_version     integer     not null,
    to_key_version       integer     not null check (to_key_version = from_key_version + 1),
    state                text        not null check (state in
                         ('AWAITING_KEY', 'AWAITING_CONFIRMATION', 'COMPLETED', 'CANCELLED')),
    reason               text        not null,
    requested_by         text        not null,
    grace_period_seconds bigint      not null check (grace_period_seconds > 0),
    begin_at             timestamptz not null,
    key_registered_at    timestamptz,
    deadline_at          timestamptz not null,
    end_at               timestamptz,
    end_reason           text
);
-- At most one rotation in progress per identity.
create unique index key_rotations_in_progress_idx on key_rotations (agent_id)
    where state in ('AWAITING_KEY', 'AWAITING_CONFIRMATION');
create index key_rotations_deadline_idx on key_rotations (deadline_at)
    where state in ('AWAITING_KEY', 'AWAITING_CONFIRMATION');
create index key_rotations_agent_idx on key_rotations (agent_id, begin_at);

-- Scheduled rotations due (ListIdentities rotation_due_before) and keyset pages by name.
create index identities_next_rotation_idx on identities (next_rotation_at) where status = 'ACTIVE';
create index identities_name_id_idx on identities (name, id);
-- Refusing a public key that another identity already uses (one key, one identity).
create index identity_keys_public_key_idx on identity_keys (public_key);
