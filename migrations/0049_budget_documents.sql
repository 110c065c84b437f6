-- A body's budget documents as files (its budget programmes, reports on their execution, financial
-- statements, audit results), each with the year it concerns and the day it was published here; and
-- the day each phase and period of a budget's figures was first and last published, so that how
-- timely a body publishes is read from the record (the openness index's facts).
create table budget_documents (
  id bigint generated always as identity primary key,
  agency_id bigint not null references agencies (id),
  year integer not null check (year between 1991 and 2200),
  kind text not null check (kind in ('programme', 'execution-report', 'financial-statements', 'audit', 'other')),
  -- What an execution report covers: the year, a quarter or a month of it.
  period text check (period ~ '^(Y|Q[1-4]|M(0[1-9]|1[0-2]))$'),
  title jsonb not null,
  file_key text not null,
  file_name text not null,
  media_type text not null,
  size bigint not null,
  sha256 text not null,
  -- Kazakhstan's day it was published here.
  published_on date not null,
  -- A published document is never deleted: one published by mistake is withdrawn with a public
  -- reason, stays listed, and its file is no longer served.
  status text not null default 'published' check (status in ('published', 'withdrawn')),
  withdrawn_at timestamptz,
  withdrawn_reason text check (length(withdrawn_reason) between 1 and 1000),
  created_by bigint references users (id),
  created_at timestamptz not null default now()
);
create index budget_documents_agency on budget_documents (agency_id, year desc, id);

create table budget_publications (
  budget_id bigint not null references budgets (id),
  phase text not null,
  period text not null,
  first_on date not null,
  last_on date not null,
  primary key (budget_id, phase, period)
);
-- What budgets already hold counts as published on the day their record says it last changed.
insert into budget_publications (budget_id, phase, period, first_on, last_on)
  select budget_id, phase, period, day, day from (
    select distinct l.budget_id, l.phase, l.period, case l.phase
      when 'approved' then coalesce(b.approved_on, b.updated_at::date)
      when 'executed' then coalesce(b.executed_updated_on, b.updated_at::date)
      else b.updated_at::date end as day
    from budget_lines l join budgets b on b.id = l.budget_id) kept;

create trigger budget_documents_version after insert or update or delete on budget_documents
  for each statement execute function ashyq_version_moved('budgets');
