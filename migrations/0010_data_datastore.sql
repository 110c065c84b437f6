-- The datastore: the rows of each tabular resource in a table of its own in schema "datastore",
-- named by the resource's id (as CKAN names them), so they can be queried without the file.
create schema if not exists datastore;

create table data_datastore (
  resource_id uuid primary key references data_resources (id),
  -- The live table datastore."<resource_id>" exists and answers queries.
  active boolean not null default false,
  -- The live table's data dictionary: [{ "id", "type", "title": {kk, ru, en}, "description": {…} }].
  fields jsonb not null default '[]',
  row_count bigint,
  -- The columns datastore_upsert matches records on (datastore_create's primary_key).
  primary_key text[] not null default '{}',
  loaded_at timestamptz,
  -- When the live table got its index per column (null: the table is new and not indexed yet).
  indexed_at timestamptz,
  -- The load of the resource's latest file. A load that fails leaves the live table as it was.
  load_state text not null default 'pending' check (load_state in ('pending', 'loading', 'ready', 'error')),
  load_key text not null,
  load_format text not null,
  load_total_bytes bigint,
  load_bytes bigint not null default 0,
  load_rows bigint not null default 0,
  -- Why the load failed: { "key": message key, "values": { "line": …, … }, "detail": the parser's words }.
  load_error jsonb,
  queued_at timestamptz not null default now(),
  load_started_at timestamptz,
  -- A load whose process died stops beating and is taken up again by another run.
  load_heartbeat_at timestamptz,
  load_finished_at timestamptz
);

create index data_datastore_due on data_datastore (queued_at) where load_state in ('pending', 'loading');
