-- A number that grows with every change to a resource's datastore record (a load, its columns,
-- its row count, its chart). The API keeps tables' dictionaries in memory and checks this number in
-- the same statement that reads the rows, so a dictionary changed by another process is never used.
alter table data_datastore add column version bigint not null default 0;

create function data_datastore_next_version() returns trigger language plpgsql as $$
begin
  new.version := old.version + 1;
  return new;
end
$$;

create trigger data_datastore_version before update on data_datastore
  for each row execute function data_datastore_next_version();
