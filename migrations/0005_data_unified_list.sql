-- The Unified List of open data: for each state body, the datasets it must publish, how often, and
-- from when. Each entry may be fulfilled by one dataset of the body; its state is computed.
create table data_list_entries (
  id bigint generated always as identity primary key,
  -- The list's own number for the entry ("MF-001"), so that a reloaded list updates its entries.
  code text not null unique check (code ~ '^[A-Za-z0-9._-]{1,40}$'),
  agency_id bigint not null references agencies (id),
  title jsonb not null,
  frequency text not null check (frequency in ('daily', 'weekly', 'monthly', 'quarterly', 'semiannual', 'annual', 'irregular')),
  first_deadline date not null,
  dataset_id uuid references datasets (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create index data_list_entries_agency on data_list_entries (agency_id);
create index data_list_entries_dataset on data_list_entries (dataset_id);
