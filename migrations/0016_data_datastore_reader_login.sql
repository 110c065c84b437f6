-- datastore_search_sql's connections log in as ashyq_datastore_reader itself, on a pool of their own,
-- instead of the site's user switching to it with SET ROLE: a statement can always switch back to
-- the session's user (set_config('role', …)), and a reader that is a member of no other role has
-- nowhere to switch to. Its limits are the role's own, in force from its login: a time limit, memory
-- for sorts and hashes (past it they spill to disk, bounded by temp_file_limit), one core a query.
-- A role belongs to the whole server and is shared by its databases: it is changed only when it is
-- not yet so (several databases may migrate at once). Without the privilege, an administrator runs
-- these statements; until then datastore_search_sql says it is unavailable.
do $$
begin
  if not exists (select from pg_roles where rolname = 'ashyq_datastore_reader') then
    return;
  end if;
  if not exists (select from pg_roles where rolname = 'ashyq_datastore_reader' and rolcanlogin
                 and rolconfig @> array['statement_timeout=10s', 'work_mem=8MB']) then
    begin
      alter role ashyq_datastore_reader login noinherit nocreatedb nocreaterole noreplication connection limit 64;
      alter role ashyq_datastore_reader set statement_timeout = '10s';
      alter role ashyq_datastore_reader set work_mem = '8MB';
      alter role ashyq_datastore_reader set max_parallel_workers_per_gather = 0;
      alter role ashyq_datastore_reader set idle_in_transaction_session_timeout = '20s';
      alter role ashyq_datastore_reader set default_transaction_read_only = on;
    exception when insufficient_privilege then
      raise notice 'role ashyq_datastore_reader not changed (no CREATEROLE): datastore_search_sql stays off until an administrator gives it LOGIN';
    end;
  end if;
  -- Only a superuser may set this one.
  if not exists (select from pg_roles where rolname = 'ashyq_datastore_reader' and rolconfig @> array['temp_file_limit=256MB']) then
    begin
      alter role ashyq_datastore_reader set temp_file_limit = '256MB';
    exception when insufficient_privilege then
      raise notice 'temp_file_limit of ashyq_datastore_reader not set (not a superuser): an administrator sets it';
    end;
  end if;
end
$$;
