-- For the retention purge (botfleet.fleet.command-retention), which deletes commands and their
-- deliveries once they are older than the retention. (V2 says commands are never deleted: they now
-- are, but only once no delivery refers to them, so command_deliveries still needs no foreign key.)

-- The purge walks the commands older than the retention in creation order, a thousand at a time.
-- Without this index each step read and sorted the whole commands table (60,000 commands: 24 ms a
-- step, growing with the table; with it 0.5 ms). A command row is written once at issue and then
-- updated only in columns no index holds (target_count, mirrored), so this costs one index entry
-- per command and none per delivery: the kill switch's updates of command_deliveries stay HOT.
-- The deliveries of a command are found through command_deliveries' (command_id, bot_id) key, so
-- no index is added to that table.
create index commands_created_idx on commands (created_at, id);

-- Deleting a command checks failovers' foreign key to it, and the purge skips a failover's command:
-- without this index both read the whole failovers table once per command deleted. A failover is
-- written once per dead bot, so the index costs nothing on any hot path.
create index failovers_command_idx on failovers (command_id);
