-- The Commission on access to information: its members, its monthly meetings with their agenda (the
-- hearings of bodies, the lowest scorers proposed), its decisions, and its recommendations to bodies
-- with deadlines and each body's report on them.
create table openness_commission_members (
  id bigint generated always as identity primary key,
  name jsonb not null,
  -- Where the member comes from (a body, a chamber of Parliament, an NGO), in kk/ru/en.
  affiliation jsonb not null default '{}',
  position text not null check (position in ('chair', 'deputy-chair', 'secretary', 'member')),
  started_on date not null,
  ended_on date,
  check (ended_on is null or ended_on >= started_on)
);

create table openness_meetings (
  id bigint generated always as identity primary key,
  held_on date not null,
  place text not null default '' check (length(place) <= 300),
  status text not null default 'planned' check (status in ('planned', 'held')),
  -- The minutes, once held: what was heard and decided (kk/ru/en).
  minutes jsonb not null default '{}',
  created_at timestamptz not null default now()
);
create index openness_meetings_day on openness_meetings (held_on desc);

-- The agenda: a body heard (with its score when the meeting was planned), or another question.
create table openness_meeting_items (
  id bigint generated always as identity primary key,
  meeting_id bigint not null references openness_meetings (id) on delete cascade,
  position integer not null,
  agency_id bigint references agencies (id),
  score numeric(5, 2),
  title jsonb not null default '{}',
  unique (meeting_id, position)
);

create table openness_recommendations (
  id bigint generated always as identity primary key,
  meeting_id bigint not null references openness_meetings (id),
  agency_id bigint not null references agencies (id),
  text jsonb not null,
  due_on date not null,
  status text not null default 'open' check (status in ('open', 'reported')),
  -- The body's report on what it did, and when.
  report jsonb,
  reported_at timestamptz,
  reported_by bigint references users (id),
  created_at timestamptz not null default now(),
  check ((status = 'reported') = (reported_at is not null))
);
create index openness_recommendations_agency on openness_recommendations (agency_id, due_on);

create trigger openness_commission_members_version after insert or update or delete on openness_commission_members
  for each statement execute function ashyq_version_moved('openness');
create trigger openness_meetings_version after insert or update or delete on openness_meetings
  for each statement execute function ashyq_version_moved('openness');
create trigger openness_meeting_items_version after insert or update or delete on openness_meeting_items
  for each statement execute function ashyq_version_moved('openness');
create trigger openness_recommendations_version after insert or update or delete on openness_recommendations
  for each statement execute function ashyq_version_moved('openness');
