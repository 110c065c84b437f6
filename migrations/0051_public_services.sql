-- The register of public services and the life situations they are grouped by (gov.kz's register:
-- every service has an 8-digit code, its sphere's 3 digits, its life situation's 2 and its own 3).
-- A life situation is also a step-by-step guide for the citizen or business it concerns.
create table service_spheres (
  code text primary key check (code ~ '^[0-9]{3}$'),
  name jsonb not null
);

create table life_situations (
  id bigint generated always as identity primary key,
  sphere_code text not null references service_spheres (code),
  code text not null check (code ~ '^[0-9]{2}$'),
  slug text not null unique check (slug ~ '^[a-z0-9-]{2,100}$'),
  -- Whom it concerns: a person ("a child is born") or a business ("starting a business").
  audience text not null check (audience in ('individual', 'business')),
  title jsonb not null,
  summary jsonb not null default '{}',
  updated_at timestamptz not null default now(),
  unique (sphere_code, code)
);

-- A guide's steps, in order: what to do, the services that do it, the bodies involved and the documents to bring.
create table life_situation_steps (
  situation_id bigint not null references life_situations (id) on delete cascade,
  position integer not null check (position > 0),
  title jsonb not null,
  body jsonb not null default '{}',
  service_ids bigint[] not null default '{}',
  agency_ids bigint[] not null default '{}',
  -- The documents to bring, per language: { "kk": [...], "ru": [...] }.
  documents jsonb not null default '{}',
  primary key (situation_id, position)
);

create table public_services (
  id bigint generated always as identity primary key,
  code text not null unique check (code ~ '^[0-9]{8}$'),
  -- The code is kept once; its sphere and life situation are read from its digits.
  sphere_code text generated always as (substr(code, 1, 3)) stored,
  situation_code text generated always as (substr(code, 4, 2)) stored,
  foreign key (sphere_code, situation_code) references life_situations (sphere_code, code),
  -- The body that provides it.
  agency_id bigint not null references agencies (id),
  name jsonb not null,
  description jsonb not null default '{}',
  recipients text[] not null check (cardinality(recipients) > 0 and recipients <@ array['individual', 'business']),
  -- Where it is received: the e-government portal, the citizens' service centres, the body itself.
  channels text[] not null check (cardinality(channels) > 0 and channels <@ array['egov', 'service_centre', 'body']),
  -- Null when the service is free.
  fee_kzt numeric(14, 2) check (fee_kzt >= 0),
  fee_note jsonb not null default '{}',
  -- How long it takes, as the service's standard says it ("5 working days").
  term jsonb not null,
  documents jsonb not null default '{}',
  result jsonb not null default '{}',
  legal_basis jsonb not null default '{}',
  egov_url text check (egov_url ~ '^https://' and length(egov_url) <= 500),
  -- A service taken out of the register keeps its page, marked with the day and the reason.
  excluded_on date,
  excluded_reason jsonb,
  check ((excluded_on is null) = (excluded_reason is null)),
  updated_at timestamptz not null default now(),
  -- Names and descriptions in all three languages and the code, lower-cased, Cyrillic names again in
  -- Latin letters: one trigram index finds a service by a word of any of them, typos tolerated.
  search_text text generated always as (
    code || ' ' || lower(
      coalesce(name ->> 'kk', '') || ' ' || coalesce(name ->> 'ru', '') || ' ' || coalesce(name ->> 'en', '') || ' ' ||
      coalesce(description ->> 'kk', '') || ' ' || coalesce(description ->> 'ru', '') || ' ' || coalesce(description ->> 'en', '')
    ) || ' ' || ashyq_latin(lower(coalesce(name ->> 'kk', '') || ' ' || coalesce(name ->> 'ru', '')))
  ) stored
);
create index public_services_search_text_trgm on public_services using gin (search_text gin_trgm_ops);
create index public_services_agency on public_services (agency_id);
create index public_services_situation on public_services (sphere_code, situation_code);

create trigger service_spheres_version after insert or update or delete on service_spheres
  for each statement execute function ashyq_version_moved('sites');
create trigger life_situations_version after insert or update or delete on life_situations
  for each statement execute function ashyq_version_moved('sites');
create trigger life_situation_steps_version after insert or update or delete on life_situation_steps
  for each statement execute function ashyq_version_moved('sites');
create trigger public_services_version after insert or update or delete on public_services
  for each statement execute function ashyq_version_moved('sites');
