-- When health-service was not observing the fleet (ADR 0113). SLA counts a bot neither up nor down
-- inside such a gap: an outage of the control plane must not burn the bots' error budgets, nor make
-- fleet-service pause them for SLA_CRITICAL.

-- The observer clock: one row, refreshed by every replica every botfleet.health.sla.observer-refresh.
-- A refresh that finds it older than sla.observer-gap-after records the gap since (under the row's
-- lock, so replicas starting together record it once).
create table observer_clock (
    id           boolean     primary key default true check (id),
    last_seen_at timestamptz not null
);

-- Gaps [started_at, ended_at) in which no replica was running. Mass silences are gaps too, read
-- from their alerts (kind 'mass_silence', raised_at to resolved_at, or to now while open).
create table observation_gaps (
    started_at  timestamptz primary key,
    ended_at    timestamptz not null,
    reason      text        not null check (reason in ('health_service_down')),
    recorded_at timestamptz not null default now(),
    recorded_by text        not null,
    check (ended_at > started_at)
);

-- Every SLA measurement looks up the mass silences overlapping its window.
create index alerts_mass_silence_idx on alerts (raised_at) where kind = 'mass_silence';
