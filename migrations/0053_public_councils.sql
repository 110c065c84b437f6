-- Public councils of state bodies: members from civil society (in the one record of people), their
-- plans, meetings with agendas and minutes, recommendations to the body and the body's reasoned
-- answer to each, due 10 working days after the recommendation reached it.
create table public_councils (
  id bigint generated always as identity primary key,
  agency_id bigint not null unique references agencies (id),
  name jsonb not null,
  about jsonb not null default '{}',
  created_at timestamptz not null default now()
);

create table council_members (
  id bigint generated always as identity primary key,
  council_id bigint not null references public_councils (id),
  person_id bigint not null references people (id),
  role text not null check (role in ('chair', 'deputy-chair', 'secretary', 'member')),
  -- Where the member works or whom they represent ("Chair of the NGO «…»").
  position jsonb not null default '{}',
  since date not null,
  until date check (until is null or until >= since)
);
create unique index council_members_one_chair on council_members (council_id, role) where until is null and role in ('chair', 'secretary');
create index council_members_council on council_members (council_id, until);

-- The council's work plan for a year.
create table council_plans (
  council_id bigint not null references public_councils (id),
  year integer not null check (year between 2000 and 2100),
  body jsonb not null,
  updated_at timestamptz not null default now(),
  primary key (council_id, year)
);

create table council_meetings (
  id bigint generated always as identity primary key,
  council_id bigint not null references public_councils (id),
  held_on date not null,
  place jsonb not null default '{}',
  agenda jsonb not null,
  -- The minutes, once the meeting is held (Markdown per language).
  minutes jsonb not null default '{}',
  created_at timestamptz not null default now()
);
create index council_meetings_council on council_meetings (council_id, held_on desc);

create table council_recommendations (
  id bigint generated always as identity primary key,
  council_id bigint not null references public_councils (id),
  meeting_id bigint references council_meetings (id),
  text jsonb not null,
  -- The day the final document reached the body, and the last day of its answer (10 working days after).
  sent_on date not null,
  answer_due date not null check (answer_due > sent_on),
  answer jsonb,
  answered_on date,
  check ((answer is null) = (answered_on is null)),
  check (answered_on is null or answered_on >= sent_on),
  created_at timestamptz not null default now()
);
create index council_recommendations_council on council_recommendations (council_id, sent_on desc);

create trigger public_councils_version after insert or update or delete on public_councils
  for each statement execute function ashyq_version_moved('sites');
create trigger council_members_version after insert or update or delete on council_members
  for each statement execute function ashyq_version_moved('sites');
create trigger council_plans_version after insert or update or delete on council_plans
  for each statement execute function ashyq_version_moved('sites');
create trigger council_meetings_version after insert or update or delete on council_meetings
  for each statement execute function ashyq_version_moved('sites');
create trigger council_recommendations_version after insert or update or delete on council_recommendations
  for each statement execute function ashyq_version_moved('sites');
