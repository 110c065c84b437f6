-- Open data catalog: themes, licences, datasets of state bodies and their resources (files or links).

-- Themes of the EU data theme vocabulary (DCAT-AP), so that DCAT exports use a known vocabulary.
create table data_themes (
  code text primary key check (code ~ '^[a-z]+$'),
  name jsonb not null,
  position integer not null
);

insert into data_themes (code, position, name) values
  ('agri', 1, '{"kk": "Ауыл шаруашылығы, балық шаруашылығы, орман шаруашылығы және азық-түлік", "ru": "Сельское хозяйство, рыболовство, лесное хозяйство и продовольствие", "en": "Agriculture, fisheries, forestry and food"}'),
  ('econ', 2, '{"kk": "Экономика және қаржы", "ru": "Экономика и финансы", "en": "Economy and finance"}'),
  ('educ', 3, '{"kk": "Білім, мәдениет және спорт", "ru": "Образование, культура и спорт", "en": "Education, culture and sport"}'),
  ('ener', 4, '{"kk": "Энергетика", "ru": "Энергетика", "en": "Energy"}'),
  ('envi', 5, '{"kk": "Қоршаған орта", "ru": "Окружающая среда", "en": "Environment"}'),
  ('gove', 6, '{"kk": "Үкімет және мемлекеттік сектор", "ru": "Правительство и государственный сектор", "en": "Government and public sector"}'),
  ('heal', 7, '{"kk": "Денсаулық", "ru": "Здравоохранение", "en": "Health"}'),
  ('intr', 8, '{"kk": "Халықаралық мәселелер", "ru": "Международные вопросы", "en": "International issues"}'),
  ('just', 9, '{"kk": "Сот төрелігі, құқықтық жүйе және қоғамдық қауіпсіздік", "ru": "Правосудие, правовая система и общественная безопасность", "en": "Justice, legal system and public safety"}'),
  ('regi', 10, '{"kk": "Өңірлер мен қалалар", "ru": "Регионы и города", "en": "Regions and cities"}'),
  ('soci', 11, '{"kk": "Халық және қоғам", "ru": "Население и общество", "en": "Population and society"}'),
  ('tech', 12, '{"kk": "Ғылым және технология", "ru": "Наука и технологии", "en": "Science and technology"}'),
  ('tran', 13, '{"kk": "Көлік", "ru": "Транспорт", "en": "Transport"}');

-- Licences, with CKAN's ids so that CKAN clients recognise them.
create table data_licences (
  id text primary key,
  title jsonb not null,
  url text,
  is_open boolean not null,
  position integer not null
);

insert into data_licences (id, position, is_open, url, title) values
  ('cc-by', 1, true, 'https://creativecommons.org/licenses/by/4.0/', '{"kk": "Creative Commons Attribution 4.0", "ru": "Creative Commons Attribution 4.0", "en": "Creative Commons Attribution 4.0"}'),
  ('cc-by-sa', 2, true, 'https://creativecommons.org/licenses/by-sa/4.0/', '{"kk": "Creative Commons Attribution Share-Alike 4.0", "ru": "Creative Commons Attribution Share-Alike 4.0", "en": "Creative Commons Attribution Share-Alike 4.0"}'),
  ('cc-zero', 3, true, 'https://creativecommons.org/publicdomain/zero/1.0/', '{"kk": "Creative Commons CC0", "ru": "Creative Commons CC0", "en": "Creative Commons CC0"}'),
  ('odc-by', 4, true, 'https://opendatacommons.org/licenses/by/1-0/', '{"kk": "Open Data Commons Attribution License", "ru": "Open Data Commons Attribution License", "en": "Open Data Commons Attribution License"}'),
  ('odc-odbl', 5, true, 'https://opendatacommons.org/licenses/odbl/1-0/', '{"kk": "Open Data Commons Open Database License (ODbL)", "ru": "Open Data Commons Open Database License (ODbL)", "en": "Open Data Commons Open Database License (ODbL)"}'),
  ('odc-pddl', 6, true, 'https://opendatacommons.org/licenses/pddl/1-0/', '{"kk": "Open Data Commons Public Domain Dedication and License", "ru": "Open Data Commons Public Domain Dedication and License", "en": "Open Data Commons Public Domain Dedication and License"}'),
  ('other-open', 7, true, null, '{"kk": "Басқа (ашық)", "ru": "Другая (открытая)", "en": "Other (open)"}'),
  ('notspecified', 8, false, null, '{"kk": "Лицензия көрсетілмеген", "ru": "Лицензия не указана", "en": "Licence not specified"}');

-- Keywords joined into one string; array_to_string is only stable in general, but for text[] it is immutable.
create function ashyq_join_words(words text[]) returns text language sql immutable parallel safe as $$
  select coalesce(array_to_string(words, ' '), '')
$$;

create table datasets (
  id uuid primary key default gen_random_uuid(),
  -- CKAN's "name": the dataset's address, lower-case letters, digits, - and _.
  name text not null unique check (name ~ '^[a-z0-9_-]{2,100}$'),
  agency_id bigint not null references agencies (id),
  title jsonb not null,
  description jsonb not null default '{}',
  theme_code text references data_themes (code),
  keywords text[] not null default '{}',
  licence_id text not null references data_licences (id),
  frequency text not null check (frequency in ('daily', 'weekly', 'monthly', 'quarterly', 'semiannual', 'annual', 'irregular')),
  temporal_start date,
  temporal_end date check (temporal_end is null or temporal_start is null or temporal_end >= temporal_start),
  region_code text references regions (code),
  contact_name text,
  contact_email text,
  -- Published records are never removed: a deleted dataset is hidden and keeps its history.
  state text not null default 'active' check (state in ('active', 'deleted')),
  created_by bigint references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- When the data itself (a resource) last changed; freshness is judged by it.
  data_updated_at timestamptz,
  views_total bigint not null default 0,
  search_ru tsvector generated always as (
    setweight(to_tsvector('russian', coalesce(title ->> 'ru', '')), 'A') ||
    setweight(to_tsvector('russian', ashyq_join_words(keywords)), 'B') ||
    setweight(to_tsvector('russian', coalesce(description ->> 'ru', '')), 'C')
  ) stored,
  search_en tsvector generated always as (
    setweight(to_tsvector('english', coalesce(title ->> 'en', '')), 'A') ||
    setweight(to_tsvector('english', ashyq_join_words(keywords)), 'B') ||
    setweight(to_tsvector('english', coalesce(description ->> 'en', '')), 'C')
  ) stored,
  -- PostgreSQL has no Kazakh stemmer: Kazakh words are kept whole; prefixes and trigrams catch endings.
  search_kk tsvector generated always as (
    setweight(to_tsvector('simple', coalesce(title ->> 'kk', '')), 'A') ||
    setweight(to_tsvector('simple', ashyq_join_words(keywords)), 'B') ||
    setweight(to_tsvector('simple', coalesce(description ->> 'kk', '')), 'C')
  ) stored,
  -- Titles and keywords in every language (and the Cyrillic again in Latin letters) for typos.
  search_text text generated always as (
    lower(
      coalesce(title ->> 'kk', '') || ' ' || coalesce(title ->> 'ru', '') || ' ' || coalesce(title ->> 'en', '') || ' ' ||
      ashyq_join_words(keywords)
    ) || ' ' || ashyq_latin(lower(coalesce(title ->> 'kk', '') || ' ' || coalesce(title ->> 'ru', '')))
  ) stored
);

create index datasets_search_ru on datasets using gin (search_ru);
create index datasets_search_en on datasets using gin (search_en);
create index datasets_search_kk on datasets using gin (search_kk);
create index datasets_search_text_trgm on datasets using gin (search_text gin_trgm_ops);
create index datasets_agency on datasets (agency_id) where state = 'active';
create index datasets_theme on datasets (theme_code) where state = 'active';
create index datasets_updated on datasets (updated_at desc) where state = 'active';
create index datasets_views on datasets (views_total desc) where state = 'active';
create index datasets_keywords on datasets using gin (keywords);

-- A dataset's files and links. An uploaded file is kept in the file store under storage_key.
create table data_resources (
  id uuid primary key default gen_random_uuid(),
  dataset_id uuid not null references datasets (id),
  position integer not null,
  name jsonb not null,
  description jsonb not null default '{}',
  kind text not null check (kind in ('upload', 'link')),
  url text,
  storage_key text,
  file_name text,
  format text not null default '',
  media_type text,
  size bigint check (size is null or size >= 0),
  checksum text,
  last_modified timestamptz,
  state text not null default 'active' check (state in ('active', 'deleted')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((kind = 'link' and url is not null) or (kind = 'upload' and storage_key is not null))
);

create index data_resources_dataset on data_resources (dataset_id, position);
create index data_resources_format on data_resources (upper(format)) where state = 'active';

-- Demand: how often each dataset is looked at, downloaded and called through the API, per day.
-- Nothing about who asked is kept.
create table data_daily_stats (
  dataset_id uuid not null references datasets (id),
  day date not null,
  views integer not null default 0,
  downloads integer not null default 0,
  api_calls integer not null default 0,
  primary key (dataset_id, day)
);
