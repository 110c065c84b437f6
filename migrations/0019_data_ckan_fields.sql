-- What CKAN keeps on a dataset and a resource beside the catalog's own fields, so that a CKAN
-- package dict (as package_show gives it) round-trips through package_create: the author, the
-- version, the source page (CKAN's "url"), further themes (CKAN's several groups), and free
-- key-value extras, on datasets and on resources.
alter table datasets
  add column author text,
  add column author_email text,
  add column version text,
  add column source_url text,
  add column extra_theme_codes text[] not null default '{}',
  add column extras jsonb not null default '{}'::jsonb;

alter table data_resources
  add column mimetype_inner text,
  add column extras jsonb not null default '{}'::jsonb;
