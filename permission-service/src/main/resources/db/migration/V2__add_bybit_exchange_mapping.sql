-- Bybit's API key settings per tier. The guide's example fleet trades on Bybit (perp-momentum-02)
-- but gives no mapping, so these follow Bybit's own API key model (V5 /v5/user/create-sub-api,
-- /v5/user/update-api and /v5/user/query-api): a readOnly flag (1 = read only, 0 = read and write)
-- and a permissions object whose keys are Bybit's permission groups and whose arrays name the
-- permissions ticked in each group.
--
-- read_only: readOnly 1 with the trading groups ticked, so the key can read orders, positions,
--   balances and trade history of contracts (ContractTrade: Order, Position), spot (SpotTrade),
--   USDC contracts and options (OptionsTrade) and the unified account (DerivativesTrade), and can
--   change nothing. Wallet is empty: no transfer, no withdrawal.
-- trade: readOnly 0 with the same groups: the bot places, amends and cancels orders in every
--   market the guide's bots use (spot arbitrage, perpetual momentum, options market making).
--   Wallet stays empty: a trading key moves no funds, not even between its own accounts.
-- withdraw: trade plus Wallet AccountTransfer (between the account's own wallets),
--   SubMemberTransfer (between master and sub accounts) and Withdraw (to external addresses).
--   Bybit grants SubMemberTransfer and Withdraw to master-account keys only, so this tier needs a
--   master-account key; ipWhitelistRequired is botfleet's policy flag, like the guide's
--   withdrawalAddressWhitelist (binance) and ip_whitelist_required (okx): such a key must be bound
--   to the withdrawal agent's IPs ("ips" on Bybit; a key without IPs also expires after 90 days).
-- admin: no mapping, as on every exchange in the guide. Bybit has no key permission for managing
--   keys or sub-accounts: those endpoints accept master-account keys holding the Wallet
--   permissions above, so "admin" cannot be expressed more narrowly than withdraw and is not
--   assignable on Bybit.
insert into exchange_mappings (exchange, tier, config) values
    ('bybit', 'read_only', '{"readOnly": 1, "permissions": {"ContractTrade": ["Order", "Position"], "Spot": ["SpotTrade"], "Options": ["OptionsTrade"], "Derivatives": ["DerivativesTrade"], "Wallet": []}}'),
    ('bybit', 'trade', '{"readOnly": 0, "permissions": {"ContractTrade": ["Order", "Position"], "Spot": ["SpotTrade"], "Options": ["OptionsTrade"], "Derivatives": ["DerivativesTrade"], "Wallet": []}}'),
    ('bybit', 'withdraw', '{"readOnly": 0, "permissions": {"ContractTrade": ["Order", "Position"], "Spot": ["SpotTrade"], "Options": ["OptionsTrade"], "Derivatives": ["DerivativesTrade"], "Wallet": ["AccountTransfer", "SubMemberTransfer", "Withdraw"]}, "ipWhitelistRequired": true}');
