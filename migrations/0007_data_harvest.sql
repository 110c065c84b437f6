-- Harvesting: datasets imported on a schedule from another CKAN portal's API or a DCAT catalog,
-- each keeping the source it came from and its key there, so that the next run updates it.
create table data_harvest_sources (
  id bigint generated always as identity primary key,
  name text not null check (length(name) between 1 and 200),
  url text not null check (url ~ '^https?://'),
  kind text not null check (kind in ('ckan', 'dcat')),
  -- The body the harvested datasets are published under.
  agency_id bigint not null references agencies (id),
  -- The language of the source's plain texts (CKAN's title and notes without translations).
  lang text not null default 'ru' check (lang in ('kk', 'ru', 'en')),
  interval_hours integer not null default 24 check (interval_hours between 1 and 720),
  next_run_at timestamptz not null default now(),
  last_run_at timestamptz,
  last_status text check (last_status in ('ok', 'error')),
  last_message text,
  created_at timestamptz not null default now()
);

alter table datasets add column harvest_source_id bigint references data_harvest_sources (id);
alter table datasets add column harvest_key text;
create unique index datasets_harvest_key on datasets (harvest_source_id, harvest_key) where harvest_source_id is not null;

alter table data_resources add column harvest_key text;
