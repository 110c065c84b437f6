-- A body's leadership beyond its head: deputies and the executive secretary, each in the one record
-- of people and their positions. One head and one executive secretary at a time; a person holds one
-- current position in a body; deputies are ordered by rank (the first deputy first).
alter table positions drop constraint positions_role_check;
alter table positions add constraint positions_role_check check (role in ('head', 'deputy', 'secretary'));
alter table positions add column rank integer not null default 0 check (rank between 0 and 100);
drop index positions_one_current;
create unique index positions_one_current on positions (agency_id, role) where ended_on is null and role in ('head', 'secretary');
create unique index positions_one_per_person on positions (agency_id, person_id) where ended_on is null;

-- A body's offices and receptions, on its site's contacts page and its map.
create table site_offices (
  id bigint generated always as identity primary key,
  agency_id bigint not null references agencies (id),
  name jsonb not null,
  address jsonb not null,
  lon double precision check (lon between -180 and 180),
  lat double precision check (lat between -90 and 90),
  check ((lon is null) = (lat is null)),
  phone text check (length(phone) <= 60),
  email text check (length(email) <= 200),
  -- When citizens are received, as the body writes it ("Mon–Fri 9:00–18:30, lunch 13:00–14:30").
  hours jsonb not null default '{}',
  position integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index site_offices_agency on site_offices (agency_id, position, id);
create trigger site_offices_version after insert or update or delete on site_offices
  for each statement execute function ashyq_version_moved('sites');

-- A body's "about" page (its mandate, functions and structure) is an item of its site with editions
-- per language, as news and documents are; a body has one.
alter table site_items drop constraint site_items_kind_check;
alter table site_items add constraint site_items_kind_check check (kind in ('news', 'document', 'about'));
create unique index site_items_one_about on site_items (agency_id) where kind = 'about';

-- Links of published items that lead nowhere: a link within the site that answers 404 or 410, or an
-- item's file that is no longer kept. Each check replaces what the last one found for an edition.
create table site_link_problems (
  item_id bigint not null references site_items (id),
  lang text not null check (lang in ('kk', 'ru', 'en')),
  url text not null check (length(url) <= 2000),
  status integer not null,
  found_at timestamptz not null default now(),
  primary key (item_id, lang, url)
);
