-- CKAN's datastore aliases: other names of a resource's table, given to datastore_create, that
-- datastore_search, datastore_info, the writes and datastore_search_sql take for its id.
create table data_datastore_aliases (
  alias text primary key check (alias ~ '^[A-Za-z0-9_][A-Za-z0-9_-]{0,62}$'),
  resource_id uuid not null references data_resources (id),
  created_at timestamptz not null default now()
);
create index data_datastore_aliases_resource on data_datastore_aliases (resource_id);
