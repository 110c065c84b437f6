-- The formats of a dataset's resources, kept on the dataset (in the same transaction as each resource
-- change), so that the catalog filters and counts by format without joining every resource.
alter table datasets add column formats text[] not null default '{}';

update datasets d set formats = coalesce((
  select array_agg(distinct upper(r.format) order by upper(r.format)) from data_resources r
  where r.dataset_id = d.id and r.state = 'active' and r.format <> ''), '{}');

create index datasets_formats on datasets using gin (formats);
create index datasets_licence on datasets (licence_id) where state = 'active';
create index datasets_created on datasets (created_at desc) where state = 'active';
drop index data_resources_format;
