-- The openness index: a methodology in versions (each indicator's weight; the commission publishes a
-- new version rather than changing one), and dated snapshots of every body's score with each
-- indicator's value, weight, points and the records behind it, so that a score explains itself and
-- can be computed again from the facts and the methodology alone.
create table openness_methodologies (
  version integer primary key check (version > 0),
  -- { "<indicator code>": weight, … }: an indicator left out, or weighted 0, does not count.
  weights jsonb not null,
  note jsonb not null default '{}',
  published_on date not null,
  published_by bigint references users (id),
  created_at timestamptz not null default now()
);
insert into openness_methodologies (version, weights, note, published_on) values (1,
  '{"data.unified-list-on-time": 25, "legal-acts.answers-on-time": 15, "legal-acts.discussion-length": 10, "dialogue.answered-on-time": 20, "sites.complete-kk": 10, "sites.on-time": 10, "sites.council-answers": 10}',
  '{"kk": "Бастапқы нұсқа", "ru": "Первая версия", "en": "The first version"}', '2026-01-01');

create table openness_snapshots (
  id bigint generated always as identity primary key,
  -- The day the snapshot was taken, and the period of facts it read (the twelve months before it).
  day date not null,
  period_from date not null,
  period_to date not null,
  methodology_version integer not null references openness_methodologies (version),
  computed_at timestamptz not null default now(),
  unique (day, methodology_version)
);

create table openness_scores (
  snapshot_id bigint not null references openness_snapshots (id) on delete cascade,
  agency_id bigint not null references agencies (id),
  -- Out of 100; null when no indicator applied to the body in the period.
  score numeric(5, 2),
  -- [{ "code", "value" (0..1 or null), "weight", "points", "numerator", "denominator", "records": [{ "text", "path" }] }]
  indicators jsonb not null,
  primary key (snapshot_id, agency_id)
);
create index openness_scores_agency on openness_scores (agency_id);

insert into platform_versions (topic, n) values ('openness', 0) on conflict (topic) do nothing;
create trigger openness_methodologies_version after insert or update or delete on openness_methodologies
  for each statement execute function ashyq_version_moved('openness');
create trigger openness_snapshots_version after insert or update or delete on openness_snapshots
  for each statement execute function ashyq_version_moved('openness');
create trigger openness_scores_version after insert or update or delete on openness_scores
  for each statement execute function ashyq_version_moved('openness');
