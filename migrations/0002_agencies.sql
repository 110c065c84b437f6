-- Regions of Kazakhstan (oblystar) and the cities of republican significance.
create table regions (
  code text primary key check (code ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  kind text not null check (kind in ('region', 'city')),
  name jsonb not null,
  centre jsonb
);

-- Cyrillic (Kazakh and Russian) spelt in plain Latin letters, so that a name typed in the Latin
-- alphabet ("Qarzhy ministrligi", "Ministerstvo finansov") still finds the body.
create function ashyq_latin(input text) returns text language sql immutable parallel safe as $$
  select translate(
    replace(replace(replace(replace(replace(replace(replace(replace(replace(input,
      'ж', 'zh'), 'ш', 'sh'), 'щ', 'sh'), 'ч', 'ch'), 'ц', 'ts'), 'х', 'kh'), 'һ', 'h'), 'ю', 'yu'), 'я', 'ya'),
    'абвгғдеёзийкқлмнңоөпрстуұүфыіэәъь',
    'abvggdeeziikqlmnnooprstuuufyiea')
$$;

-- State bodies: central bodies, local executive bodies (akimats), quasi-state organisations.
create table agencies (
  id bigint generated always as identity primary key,
  slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(slug) <= 100),
  kind text not null check (kind in ('central', 'local', 'quasi')),
  name jsonb not null,
  short_name jsonb not null default '{}',
  head_name jsonb not null default '{}',
  head_title jsonb not null default '{}',
  address jsonb not null default '{}',
  phone text,
  email text,
  website text,
  region_code text references regions (code),
  parent_id bigint references agencies (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- Names in all three languages, lower-cased, then the Cyrillic ones again in Latin letters:
  -- one trigram index finds a body by any of them.
  search_text text generated always as (
    lower(
      coalesce(name ->> 'kk', '') || ' ' || coalesce(name ->> 'ru', '') || ' ' || coalesce(name ->> 'en', '') || ' ' ||
      coalesce(short_name ->> 'kk', '') || ' ' || coalesce(short_name ->> 'ru', '') || ' ' || coalesce(short_name ->> 'en', '')
    ) || ' ' || ashyq_latin(lower(
      coalesce(name ->> 'kk', '') || ' ' || coalesce(name ->> 'ru', '') || ' ' ||
      coalesce(short_name ->> 'kk', '') || ' ' || coalesce(short_name ->> 'ru', '')
    ))
  ) stored
);

create index agencies_search_text_trgm on agencies using gin (search_text gin_trgm_ops);
create index agencies_kind on agencies (kind);
create index agencies_region_code on agencies (region_code);
create index agencies_parent_id on agencies (parent_id);
