-- datastore_search_sql runs a visitor's SELECT as this role, which may read the tables of schema
-- "datastore" and nothing else. A role belongs to the whole server, not to one database: several
-- databases (and migrations running at the same time) share it, so creating it tolerates that it
-- exists. The site's own user must be a member to switch to it (SET ROLE). Without CREATEROLE, an
-- administrator creates the role and grants it to the site's user; until then the migration goes
-- on and datastore_search_sql says it is unavailable.
do $$
begin
  if not exists (select from pg_roles where rolname = 'ashyq_datastore_reader') then
    begin
      create role ashyq_datastore_reader nologin;
    exception
      when duplicate_object or unique_violation then null;
      when insufficient_privilege then
        raise notice 'role ashyq_datastore_reader not created (no CREATEROLE): datastore_search_sql stays off until an administrator creates it and grants it to %', current_user;
        return;
    end;
  end if;
  if not pg_has_role(current_user, 'ashyq_datastore_reader', 'member') then
    begin
      execute format('grant ashyq_datastore_reader to %I', current_user);
    exception when insufficient_privilege then
      raise notice 'role ashyq_datastore_reader not granted to %: datastore_search_sql stays off until an administrator grants it', current_user;
    end;
  end if;
  execute 'grant usage on schema datastore to ashyq_datastore_reader';
  execute 'grant select on all tables in schema datastore to ashyq_datastore_reader';
  -- Tables the loader makes later (it runs as the user running this migration).
  execute 'alter default privileges in schema datastore grant select on tables to ashyq_datastore_reader';
end
$$;
