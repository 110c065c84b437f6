-- The consumer price index by year, to read budgets of several years in one year's prices: a year's
-- average prices against the year before's (108.70: 8.7 % higher), with the source it is taken from.
create table budget_price_index (
  year integer primary key check (year between 1991 and 2100),
  index numeric(7, 2) not null check (index > 0),
  -- {"name": {"kk": …, "ru": …, "en": …}, "url": …}: shown under every chart that uses it.
  source jsonb not null
);

create trigger budget_price_index_version after insert or update or delete on budget_price_index
  for each statement execute function ashyq_version_moved('budgets');
