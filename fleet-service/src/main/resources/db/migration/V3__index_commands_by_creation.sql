-- The retention purge (botfleet.fleet.command-retention) walks the commands older than the
-- retention in creation order, a thousand at a time. Without this index each step read and sorted
-- the whole commands table (60,000 commands: 24 ms a step, growing with the table; with it 0.5 ms).
-- A command row is written once at issue and updated only in columns no index holds (target count,
-- mirrored), so this costs one index entry per command, none per delivery: the kill switch's
-- updates of command_deliveries stay HOT. The deliveries of a command are found through
-- command_deliveries' (command_id, bot_id) key: no index on them is added.
create index commands_created_idx on commands (created_at, id);
