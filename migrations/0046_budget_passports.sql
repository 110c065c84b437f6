-- A budget programme's passport on a budget: what it is for, and the target indicators it is judged
-- by, planned for the year and achieved once reported (the thread from money to what it delivered).
create table budget_programmes (
  budget_id bigint not null references budgets (id),
  -- The administrator's and programme's codes: '225 099'.
  code text not null check (code ~ '^[0-9]{3} [0-9]{3}$'),
  goal jsonb not null default '{}',
  primary key (budget_id, code)
);

create table budget_indicators (
  budget_id bigint not null,
  code text not null,
  position smallint not null,
  name jsonb not null,
  unit jsonb not null default '{}',
  -- Whether more is better (graduates) or less (schools in three shifts).
  better text not null check (better in ('higher', 'lower')),
  planned numeric(20, 4) not null,
  achieved numeric(20, 4),
  primary key (budget_id, code, position),
  foreign key (budget_id, code) references budget_programmes (budget_id, code) on delete cascade
);

create trigger budget_programmes_version after insert or update or delete on budget_programmes
  for each statement execute function ashyq_version_moved('budgets');
create trigger budget_indicators_version after insert or update or delete on budget_indicators
  for each statement execute function ashyq_version_moved('budgets');
