-- A remembered dictionary is checked by data_datastore.version alone (one row by its key, cheap to
-- plan at every request), so the number also moves on when what makes a table readable changes:
-- its resource or dataset deleted (or restored), or the resource moved to another dataset.
create function data_resource_moves_datastore_version() returns trigger language plpgsql as $$
begin
  -- The update itself is the change: data_datastore's own trigger moves the number on.
  update data_datastore set version = version where resource_id = new.id;
  return null;
end
$$;

create trigger data_resource_datastore_version after update of state, dataset_id on data_resources
  for each row when (old.state is distinct from new.state or old.dataset_id is distinct from new.dataset_id)
  execute function data_resource_moves_datastore_version();

create function data_dataset_moves_datastore_version() returns trigger language plpgsql as $$
begin
  update data_datastore set version = version
  where resource_id in (select id from data_resources where dataset_id = new.id);
  return null;
end
$$;

create trigger data_dataset_datastore_version after update of state on datasets
  for each row when (old.state is distinct from new.state)
  execute function data_dataset_moves_datastore_version();
