-- A body's official site: its news and documents, each an item with its own editions per language
-- (GOV.UK's publishing: draft -> submitted -> published, or scheduled first; a new published edition
-- supersedes the last; an item may be withdrawn with a public reason). Publishing Russian publishes
-- nothing in Kazakh: each language is an edition of its own.
create table site_items (
  id bigint generated always as identity primary key,
  agency_id bigint not null references agencies (id),
  kind text not null check (kind in ('news', 'document')),
  -- A document's own facts, the same in every language: its kind, number, the day it was signed and who signed it.
  document_kind text check (document_kind in ('order', 'plan', 'report', 'regulation', 'other')),
  number text check (length(number) between 1 and 60),
  signed_on date,
  signatory jsonb,
  check ((kind = 'document') = (document_kind is not null)),
  -- When its editors should read it again (a stale item is listed for them).
  review_on date,
  created_by bigint references users (id),
  created_at timestamptz not null default now()
);
create index site_items_agency on site_items (agency_id, kind, id desc);

create table site_editions (
  id bigint generated always as identity primary key,
  item_id bigint not null references site_items (id),
  lang text not null check (lang in ('kk', 'ru', 'en')),
  -- The edition's number in its language: 1, 2, ...
  number integer not null check (number > 0),
  status text not null check (status in ('draft', 'submitted', 'scheduled', 'published', 'superseded', 'withdrawn')),
  title text not null check (length(title) between 1 and 300),
  summary text not null default '' check (length(summary) <= 600),
  body text not null default '' check (length(body) <= 100000),
  -- What changed, shown to readers under the item (required from the second edition on).
  change_note text check (length(change_note) <= 1000),
  -- A document's file in this language.
  file_key text,
  file_name text,
  media_type text,
  size bigint,
  sha256 text,
  publish_at timestamptz,
  published_at timestamptz,
  withdrawn_at timestamptz,
  withdrawn_reason text check (length(withdrawn_reason) between 1 and 1000),
  created_by bigint references users (id),
  published_by bigint references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (item_id, lang, number)
);
-- One unpublished edition at a time per language, and one that readers see.
create unique index site_editions_unpublished on site_editions (item_id, lang) where status in ('draft', 'submitted', 'scheduled');
create unique index site_editions_current on site_editions (item_id, lang) where status in ('published', 'withdrawn');
create index site_editions_due on site_editions (publish_at) where status = 'scheduled';
create index site_editions_published on site_editions (published_at desc) where status = 'published';

insert into platform_versions (topic, n) values ('sites', 0) on conflict (topic) do nothing;
create trigger site_items_version after insert or update or delete on site_items
  for each statement execute function ashyq_version_moved('sites');
create trigger site_editions_version after insert or update or delete on site_editions
  for each statement execute function ashyq_version_moved('sites');
