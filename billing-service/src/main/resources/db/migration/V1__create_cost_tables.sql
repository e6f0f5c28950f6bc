-- Costs per bot (chapter 8), in exact decimals. Each entry is booked to the day it was incurred,
-- so a late entry lands in its own day and month, never in today's.
create table cost_entries (
    id            uuid           primary key,
    bot_id        text           not null,
    bot_name      text,
    category      text           not null check (category in ('EXCHANGE_FEES', 'API_FEES',
                  'INFRASTRUCTURE', 'MARKET_DATA', 'NETWORK', 'EXCHANGE_API_FEES')),
    amount_usd    numeric(20, 8) not null,
    description   text           not null,
    incurred_date date           not null,
    recorded_by   text           not null,
    recorded_at   timestamptz    not null default now(),
    entry_key     text           not null unique,
    source        text           not null
);
create index cost_entries_bot_date_idx on cost_entries (bot_id, incurred_date);
create index cost_entries_date_idx on cost_entries (incurred_date);
