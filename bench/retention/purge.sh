#!/usr/bin/env bash
# The command retention purge of fleet-service (botfleet.fleet.command-retention) on a synthetic
# history: 400 commands to 1,000 bots and 60,000 one-bot commands over 180 days (460,000
# deliveries), then the purge's statements as CommandRetention runs them (1,000 commands a step,
# at most 10,000 deliveries a statement) with a retention of 90 days, timed, and their plans.
#
# Needs a scratch PostgreSQL (never the shared one on 55432): PGHOST, PGPORT, PGUSER as for psql.
# Works in its own schema, dropped at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
schema=fleet_retention_bench
P=(psql -q -v ON_ERROR_STOP=1)
"${P[@]}" -c "drop schema if exists $schema cascade; create schema $schema"
trap '"${P[@]}" -c "drop schema if exists $schema cascade"' EXIT
{
  echo "set search_path = $schema;"
  cat fleet-service/src/main/resources/db/migration/V*.sql
} | "${P[@]}"
"${P[@]}" <<SQL
set search_path = $schema;
insert into commands (id, type, payload, scope, issued_by, created_at, expires_at, target_count, mirrored)
select gen_random_uuid(), 'pause', '{}', '{}', 'op', now() - g * interval '180 days' / 400,
       now() - g * interval '180 days' / 400 + interval '1 day', 1000, true
from generate_series(1, 400) g;
insert into command_deliveries (command_id, bot_id, sequence, state, priority, expires_at)
select c.id, 'bot-' || b, row_number() over (partition by b order by c.created_at), 'DONE', false, c.expires_at
from commands c, generate_series(1, 1000) b;
insert into commands (id, type, payload, scope, issued_by, created_at, expires_at, target_count, mirrored)
select gen_random_uuid(), 'rotate_key', '{}', '{}', 'op', now() - g * interval '180 days' / 60000,
       now() - g * interval '180 days' / 60000 + interval '1 day', 1, true
from generate_series(1, 60000) g;
insert into command_deliveries (command_id, bot_id, sequence, state, priority, expires_at)
select c.id, 'bot-' || (n % 1000), 100000 + n, 'DONE', false, c.expires_at
from (select id, expires_at, row_number() over (order by created_at) n
      from commands where type = 'rotate_key') c;
vacuum analyze commands;
vacuum analyze command_deliveries;
select count(*) as deliveries_before,
       pg_size_pretty(pg_total_relation_size('command_deliveries')) as deliveries_size
from command_deliveries;

\echo 'Plan of a step: the next 1,000 commands past the retention'
explain analyze select c.created_at, c.id from commands c
 where c.created_at < now() - interval '90 days'
   and (c.created_at, c.id) > ('1970-01-01Z'::timestamptz, '00000000-0000-0000-0000-000000000000'::uuid)
   and c.mirrored and not exists (select 1 from failovers f where f.command_id = c.id)
 order by c.created_at, c.id limit 1000;

\echo 'The purge, statement by statement (one transaction here; the service commits each statement)'
do \$\$
declare
  after_c timestamptz := '1970-01-01Z'; after_id uuid := '00000000-0000-0000-0000-000000000000';
  ids uuid[]; n int; dels bigint := 0; cmds bigint := 0; stmts int := 0; slowest float := 0;
  t0 timestamptz; started timestamptz := clock_timestamp();
begin
  loop
    select array_agg(id order by created_at, id), count(*) into ids, n from (
      select c.created_at, c.id from commands c
       where c.created_at < now() - interval '90 days' and (c.created_at, c.id) > (after_c, after_id)
         and c.mirrored and not exists (select 1 from failovers f where f.command_id = c.id)
       order by c.created_at, c.id limit 1000) s;
    exit when n = 0;
    select created_at, id into after_c, after_id from commands where id = ids[n];
    loop
      t0 := clock_timestamp();
      delete from command_deliveries d where d.ctid = any(array(
        select x.ctid from command_deliveries x where x.command_id = any(ids)
           and not (x.state in ('PENDING', 'SENT') and x.expires_at > now()) limit 10000))
        and not (d.state in ('PENDING', 'SENT') and d.expires_at > now());
      get diagnostics n = row_count;
      dels := dels + n; stmts := stmts + 1;
      slowest := greatest(slowest, extract(epoch from clock_timestamp() - t0) * 1000);
      exit when n < 10000;
    end loop;
    delete from commands c where c.id = any(ids) and c.created_at < now() - interval '90 days'
       and c.mirrored and not exists (select 1 from command_deliveries d where d.command_id = c.id)
       and not exists (select 1 from failovers f where f.command_id = c.id);
    get diagnostics n = row_count;
    cmds := cmds + n;
    exit when array_length(ids, 1) < 1000;
  end loop;
  raise notice 'purged % deliveries and % commands in % ms; % delete statements on deliveries, slowest % ms',
    dels, cmds, round((extract(epoch from clock_timestamp() - started) * 1000)::numeric),
    stmts, round(slowest::numeric, 1);
end \$\$;
select count(*) as deliveries_after from command_deliveries;
SQL
