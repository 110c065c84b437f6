-- A number moved on, in the transaction that makes it, by every change to what the catalog lists
-- (datasets, their resources, the bodies that publish them). The catalog keeps its counts and
-- pages under this number, so a change is seen by the next search in every process, as soon as it
-- is committed. A dataset's views alone do not move it (they change nothing the catalog counts).
create table data_catalog_generation (
  only_row boolean primary key default true check (only_row),
  n bigint not null
);
insert into data_catalog_generation values (true, 0);

create function ashyq_catalog_changed() returns trigger language plpgsql as $$
begin
  update data_catalog_generation set n = n + 1;
  return null;
end
$$;

create trigger datasets_catalog_changed after insert or delete on datasets
  for each statement execute function ashyq_catalog_changed();
create trigger datasets_catalog_updated after update on datasets
  for each row when ((to_jsonb(old) - 'views_total') is distinct from (to_jsonb(new) - 'views_total'))
  execute function ashyq_catalog_changed();
create trigger data_resources_catalog_changed after insert or update or delete on data_resources
  for each statement execute function ashyq_catalog_changed();
create trigger agencies_catalog_changed after insert or update or delete on agencies
  for each statement execute function ashyq_catalog_changed();
