-- datastore_search_sql runs a visitor's SELECT as this role, which may read the tables of schema
-- "datastore" and nothing else. A role belongs to the whole server, not to one database: several
-- databases (and migrations running at the same time) share it, so creating it tolerates that it
-- exists. The site's own user must be a member to switch to it (SET ROLE): it needs CREATEROLE, or an
-- administrator creates the role and grants it to the site's user beforehand.
do $$
begin
  begin
    create role ashyq_datastore_reader nologin;
  exception when duplicate_object or unique_violation then
    null;
  end;
  if not pg_has_role(current_user, 'ashyq_datastore_reader', 'member') then
    execute format('grant ashyq_datastore_reader to %I', current_user);
  end if;
end
$$;

grant usage on schema datastore to ashyq_datastore_reader;
grant select on all tables in schema datastore to ashyq_datastore_reader;
-- Tables the loader makes later (it runs as the user running this migration).
alter default privileges in schema datastore grant select on tables to ashyq_datastore_reader;
