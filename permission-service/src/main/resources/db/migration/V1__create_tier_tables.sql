-- The guide's permission tiers (chapter 4). Each tier adds permissions to the one below it.
create table tiers (
    name text    primary key,
    rank integer not null unique
);

-- The permissions a tier adds on top of the tiers below it.
create table tier_permissions (
    tier       text not null references tiers (name),
    permission text not null,
    primary key (tier, permission)
);

-- Exchange API key settings per tier, as each exchange names them. Data, not code: a new
-- exchange is a row per tier. A tier without a row for an exchange cannot be assigned there.
create table exchange_mappings (
    exchange text  not null,
    tier     text  not null references tiers (name),
    config   jsonb not null,
    primary key (exchange, tier)
);

insert into tiers (name, rank) values ('read_only', 1), ('trade', 2), ('withdraw', 3), ('admin', 4);

insert into tier_permissions (tier, permission) values
    ('read_only', 'read_orderbook'),
    ('read_only', 'read_positions'),
    ('read_only', 'read_balances'),
    ('read_only', 'read_trade_history'),
    ('read_only', 'report_metrics'),
    ('read_only', 'receive_commands'),
    ('trade', 'place_order'),
    ('trade', 'cancel_order'),
    ('trade', 'modify_order'),
    ('withdraw', 'withdraw_funds'),
    ('withdraw', 'transfer_between_accounts'),
    ('admin', 'modify_api_keys'),
    ('admin', 'modify_account_settings'),
    ('admin', 'register_sub_accounts');

-- The guide's mappings. admin has none in the guide: it cannot be assigned on any exchange.
insert into exchange_mappings (exchange, tier, config) values
    ('binance', 'read_only', '{"enableReading": true, "enableSpotAndMarginTrading": false, "enableWithdrawals": false, "enableFutures": false}'),
    ('binance', 'trade', '{"enableReading": true, "enableSpotAndMarginTrading": true, "enableWithdrawals": false, "enableFutures": true}'),
    ('binance', 'withdraw', '{"enableReading": true, "enableSpotAndMarginTrading": true, "enableWithdrawals": true, "enableFutures": true, "withdrawalAddressWhitelist": true}'),
    ('deribit', 'read_only', '{"scope": "read"}'),
    ('deribit', 'trade', '{"scope": "trade:read"}'),
    ('deribit', 'withdraw', '{"scope": "trade:read:withdraw"}'),
    ('okx', 'read_only', '{"perm": "read_only", "trade": false, "withdraw": false}'),
    ('okx', 'trade', '{"perm": "trade", "trade": true, "withdraw": false}'),
    ('okx', 'withdraw', '{"perm": "trade", "trade": true, "withdraw": true, "ip_whitelist_required": true}');
