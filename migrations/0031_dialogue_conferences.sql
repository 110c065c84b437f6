-- Web conferences of heads of bodies: announced with their day and hour; citizens send questions
-- beforehand (the platform's comments on "dialogue-conference") and vote them up; after it, the
-- answers and the recording are published.
create table dialogue_conferences (
  id bigint generated always as identity primary key,
  agency_id bigint not null references agencies (id),
  title jsonb not null,
  description jsonb not null default '{}',
  starts_at timestamptz not null,
  -- Where it is watched live, and where its recording stays.
  stream_url text check (length(stream_url) <= 2000),
  recording_url text check (length(recording_url) <= 2000),
  created_by bigint references users (id),
  created_at timestamptz not null default now()
);
create index dialogue_conferences_agency on dialogue_conferences (agency_id, starts_at desc);

-- The head's answer to a question sent to a conference, published after it.
create table dialogue_conference_answers (
  comment_id bigint primary key references comments (id),
  conference_id bigint not null references dialogue_conferences (id),
  answer jsonb not null,
  answered_by bigint references users (id),
  answered_at timestamptz not null default now()
);
create index dialogue_conference_answers_conference on dialogue_conference_answers (conference_id);
