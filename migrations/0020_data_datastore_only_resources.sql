-- A resource may live only in the datastore (CKAN's url_type "datastore"): made by datastore_create
-- with a resource dict, it has no file and no link; its data is its table, downloaded as an export.
alter table data_resources drop constraint data_resources_kind_check;
alter table data_resources drop constraint data_resources_check;
alter table data_resources add constraint data_resources_kind_check check (kind in ('upload', 'link', 'datastore'));
alter table data_resources add constraint data_resources_check check (
  (kind = 'link' and url is not null) or (kind = 'upload' and storage_key is not null)
  or (kind = 'datastore' and url is null and storage_key is null)
);
