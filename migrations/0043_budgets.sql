-- Open Budgets (src/modules/budgets): budgets of every level and year, their lines by Kazakhstan's
-- single budget classification and phase, the totals every drill-down reads, and the names of codes.

-- A budget: the republican one, a region's (or city's of republican significance), or a district's
-- (its KATO code), for a year; kept by a body (the finance ministry, a region's finance department),
-- whose staff import its lines.
create table budgets (
  id bigint generated always as identity primary key,
  level text not null check (level in ('republican', 'regional', 'district')),
  region_code text references regions (code),
  district_code text check (district_code ~ '^[0-9]{9}$'),
  year integer not null check (year between 1991 and 2100),
  agency_id bigint not null references agencies (id),
  title jsonb not null default '{}',
  -- Days its phases were published, for the openness index: the law's deadlines are read against them.
  approved_on date,
  executed_through text check (executed_through ~ '^(Q[1-4]|M(0[1-9]|1[0-2]))$'),
  executed_updated_on date,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((level = 'republican') = (region_code is null)),
  check ((level = 'district') = (district_code is not null))
);
create unique index budgets_identity on budgets (level, coalesce(region_code, ''), coalesce(district_code, ''), year);
create index budgets_agency on budgets (agency_id, year);

-- Its amounts as imported: one per code, economic specific (expenses), phase and period. Expenses'
-- codes are functional: group, subgroup, administrator, programme and subprogramme, space-separated
-- ("04 2 225 001 015" or, without a subprogramme, "04 2 225 001"); revenues' are category, class,
-- subclass and specific ("1 01 1 01"). Periods: the year (Y), a quarter (Q1-Q4) or a month (M01-M12);
-- each amount is of its own period, not running from the year's start. Exact: numeric, never float.
create table budget_lines (
  budget_id bigint not null references budgets (id),
  direction text not null check (direction in ('expense', 'revenue')),
  code text not null check (
    (direction = 'expense' and code ~ '^[0-9]{2} [0-9] [0-9]{3} [0-9]{3}( [0-9]{3})?$')
    or (direction = 'revenue' and code ~ '^[0-9] [0-9]{2} [0-9] [0-9]{2}$')),
  economic text check (economic ~ '^[0-9]{3}$'),
  phase text not null check (phase in ('approved', 'adjusted', 'executed')),
  period text not null check (period ~ '^(Y|Q[1-4]|M(0[1-9]|1[0-2]))$'),
  amount numeric(20, 2) not null,
  check (direction = 'expense' or economic is null)
);
create index budget_lines_budget on budget_lines (budget_id, phase, period);

-- A budget's totals for the year at every node of each way it is read, made from its lines in the
-- import's transaction: by function (group → subgroup → administrator → programme → subprogramme),
-- by administrator (administrator → programme → subprogramme), by economic specific (category →
-- specific) and revenues (category → class → subclass → specific). Code '' is the whole budget.
create table budget_totals (
  budget_id bigint not null references budgets (id),
  dimension text not null check (dimension in ('functional', 'administrative', 'economic', 'revenue')),
  code text not null,
  depth smallint not null check (depth between 0 and 5),
  phase text not null check (phase in ('approved', 'adjusted', 'executed')),
  amount numeric(20, 2) not null,
  primary key (budget_id, dimension, phase, code)
);
create index budget_totals_children on budget_totals (budget_id, dimension, depth, phase);

-- Executed amounts by period, for the year's curve: each budget's expenses and revenues.
create table budget_execution (
  budget_id bigint not null references budgets (id),
  direction text not null check (direction in ('expense', 'revenue')),
  period text not null check (period ~ '^(Y|Q[1-4]|M(0[1-9]|1[0-2]))$'),
  amount numeric(20, 2) not null,
  primary key (budget_id, direction, period)
);

-- The names of codes in kk/ru/en: the single classification's groups, subgroups, economic specifics
-- and revenues nationally (budget_id null), a budget's administrators, programmes and subprogrammes
-- on it (an administrator's code is its body's within one budget; agency_id links the body).
create table budget_names (
  id bigint generated always as identity primary key,
  budget_id bigint references budgets (id),
  dimension text not null check (dimension in ('functional', 'administrative', 'economic', 'revenue')),
  code text not null,
  name jsonb not null,
  agency_id bigint references agencies (id)
);
create unique index budget_names_code on budget_names (coalesce(budget_id, 0), dimension, code);

-- Budgets' pages are kept under the topic "budgets": an import moves them, nothing else does.
insert into platform_versions (topic, n) values ('budgets', 0) on conflict do nothing;
create trigger budgets_version after insert or update or delete on budgets
  for each statement execute function ashyq_version_moved('budgets');
create trigger budget_totals_version after insert or update or delete on budget_totals
  for each statement execute function ashyq_version_moved('budgets');
create trigger budget_execution_version after insert or update or delete on budget_execution
  for each statement execute function ashyq_version_moved('budgets');
create trigger budget_names_version after insert or update or delete on budget_names
  for each statement execute function ashyq_version_moved('budgets');

-- An import's rows while they are checked: nothing of a file reaches budget_lines until every row
-- of it is right, and then all of it at once (src/modules/budgets/import.ts).
create table budget_staging (
  import_id text not null,
  row integer not null,
  direction text not null,
  code text not null,
  economic text,
  phase text not null,
  period text not null,
  amount numeric(20, 2) not null,
  name jsonb,
  -- An import cut off by a crash leaves its rows: the next import clears those a day old.
  created_at timestamptz not null default now()
);
create index budget_staging_import on budget_staging (import_id);
