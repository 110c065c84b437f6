-- The annual report on access to information: generated for a year from the index and the portals'
-- facts; the commission writes its own text and publishes it, and the figures are kept as published.
create table openness_reports (
  year integer primary key check (year between 2000 and 2100),
  status text not null default 'draft' check (status in ('draft', 'published')),
  -- The commission's own text (its foreword and conclusions), in kk/ru/en.
  text jsonb not null default '{}',
  -- The figures as published (null while a draft: a draft shows them as they are now).
  figures jsonb,
  published_at timestamptz,
  published_by bigint references users (id),
  check ((status = 'published') = (published_at is not null and figures is not null))
);
-- Its rows are not changed but through the state step; `id` names the row for it.
alter table openness_reports add column id integer generated always as (year) stored unique;

create trigger openness_reports_version after insert or update or delete on openness_reports
  for each statement execute function ashyq_version_moved('openness');
