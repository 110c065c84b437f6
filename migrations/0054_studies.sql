-- The knowledge base of studies made by NGOs under state grants: each with its grant (operator, year,
-- amount), authors, abstract in kk/ru/en, files, an open licence, the catalog's themes as its topics,
-- and the bodies it concerns.
create table studies (
  id bigint generated always as identity primary key,
  slug text not null unique check (slug ~ '^[a-z0-9-]{2,100}$'),
  title jsonb not null,
  abstract jsonb not null default '{}',
  -- The NGO that made it, and its authors: [{ "name": { "kk": …, "ru": … } }].
  organisation jsonb not null,
  authors jsonb not null default '[]',
  grant_operator jsonb not null,
  grant_year integer not null check (grant_year between 2000 and 2100),
  grant_amount_kzt numeric(16, 2) check (grant_amount_kzt >= 0),
  -- An open licence of the open data catalog's (cc-by …), and its themes (agri, econ …).
  licence_id text not null,
  themes text[] not null default '{}',
  published_on date not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  search_text text generated always as (
    lower(
      coalesce(title ->> 'kk', '') || ' ' || coalesce(title ->> 'ru', '') || ' ' || coalesce(title ->> 'en', '') || ' ' ||
      coalesce(abstract ->> 'kk', '') || ' ' || coalesce(abstract ->> 'ru', '') || ' ' || coalesce(abstract ->> 'en', '') || ' ' ||
      coalesce(organisation ->> 'kk', '') || ' ' || coalesce(organisation ->> 'ru', '') || ' ' || coalesce(organisation ->> 'en', '')
    ) || ' ' || ashyq_latin(lower(coalesce(title ->> 'kk', '') || ' ' || coalesce(title ->> 'ru', '')))
  ) stored
);
create index studies_search_text_trgm on studies using gin (search_text gin_trgm_ops);
create index studies_themes on studies using gin (themes);

create table study_agencies (
  study_id bigint not null references studies (id) on delete cascade,
  agency_id bigint not null references agencies (id),
  primary key (study_id, agency_id)
);
create index study_agencies_agency on study_agencies (agency_id);

create table study_files (
  id bigint generated always as identity primary key,
  study_id bigint not null references studies (id),
  lang text not null check (lang in ('kk', 'ru', 'en')),
  file_key text not null,
  file_name text not null,
  media_type text not null,
  size bigint not null,
  sha256 text not null,
  created_at timestamptz not null default now()
);
create index study_files_study on study_files (study_id);

insert into platform_versions (topic, n) values ('studies', 0) on conflict (topic) do nothing;
create trigger studies_version after insert or update or delete on studies
  for each statement execute function ashyq_version_moved('studies');
create trigger study_agencies_version after insert or update or delete on study_agencies
  for each statement execute function ashyq_version_moved('studies');
create trigger study_files_version after insert or update or delete on study_files
  for each statement execute function ashyq_version_moved('studies');
