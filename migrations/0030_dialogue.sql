-- Open Dialogue: the blogs of the heads of state bodies, and citizens' questions to them, answered
-- in public by the deadlines of the Administrative Procedural Code.

-- A head's blog: who leads the body, what the body does. One per body; its posts and questions
-- belong to the body, so a new head keeps the record of the old.
create table dialogue_blogs (
  agency_id bigint primary key references agencies (id),
  head_name jsonb not null default '{}',
  head_position jsonb not null default '{}',
  biography jsonb not null default '{}',
  -- What the body is responsible for: what to ask it about, and what to ask another body.
  areas jsonb not null default '{}',
  photo_key text,
  photo_type text,
  updated_at timestamptz not null default now()
);

-- Posts by the head or a delegate; comments on them are the platform's ("dialogue-post").
create table dialogue_posts (
  id bigint generated always as identity primary key,
  agency_id bigint not null references agencies (id),
  title jsonb not null,
  body jsonb not null,
  author_id bigint references users (id),
  published_at timestamptz not null default now()
);
create index dialogue_posts_agency on dialogue_posts (agency_id, published_at desc);

-- A citizen's question to a body's head. Its deadlines are days of Kazakhstan's calendar (UTC+5),
-- counted in working days from the day the owning body received it.
create table dialogue_questions (
  id bigint generated always as identity primary key,
  -- The body that owns it now, and the one it was asked of (they differ once it is forwarded).
  agency_id bigint not null references agencies (id),
  asked_agency_id bigint not null references agencies (id),
  asker_id bigint not null references users (id),
  -- Whether the asker's name is shown; the body always knows who asked (no anonymous appeals).
  show_name boolean not null,
  topic text not null,
  lang text not null check (lang in ('kk', 'ru', 'en')),
  body text not null check (length(body) between 1 and 5000),
  status text not null default 'moderation'
    check (status in ('moderation', 'published', 'answered', 'rejected', 'withdrawn')),
  received_on date not null,
  moderation_due date not null,
  forward_due date not null,
  due_on date not null,
  -- One extension, with its public reason.
  extended_to date,
  extension_reason jsonb,
  forwarded_from bigint references agencies (id),
  published_at timestamptz,
  rejection_reason text check (rejection_reason in ('abuse', 'personal-data', 'duplicate')),
  duplicate_of bigint references dialogue_questions (id),
  check ((rejection_reason = 'duplicate') = (duplicate_of is not null)),
  answer jsonb,
  answered_at timestamptz,
  answered_on date,
  answered_by bigint references users (id),
  -- The asker's rating of the answer: satisfied (1) or not (-1), with what they say.
  rating smallint check (rating in (-1, 1)),
  rating_comment text check (length(rating_comment) <= 2000),
  rated_at timestamptz,
  -- A follow-up asks on from one answered question: at most one per question.
  follow_up_of bigint unique references dialogue_questions (id),
  idempotency_key text check (length(idempotency_key) <= 100),
  created_at timestamptz not null default now(),
  unique (asker_id, idempotency_key),
  search_text text generated always as (
    lower(body || ' ' || coalesce(answer ->> 'kk', '') || ' ' || coalesce(answer ->> 'ru', '') || ' ' || coalesce(answer ->> 'en', ''))
      || ' ' || ashyq_latin(lower(body))
  ) stored
);
create index dialogue_questions_agency on dialogue_questions (agency_id, status, received_on desc);
create index dialogue_questions_asker on dialogue_questions (asker_id);
create index dialogue_questions_search on dialogue_questions using gin (search_text gin_trgm_ops);

-- Every step of a question's life, dated: received, published, rejected, forwarded, extended,
-- answered, rated, withdrawn, reminded.
create table dialogue_question_events (
  id bigint generated always as identity primary key,
  question_id bigint not null references dialogue_questions (id),
  kind text not null,
  at timestamptz not null default now(),
  actor_id bigint references users (id),
  detail jsonb not null default '{}'
);
create index dialogue_question_events_question on dialogue_question_events (question_id, at);

-- Files that come with a question: documents and photos, their type read from their bytes.
create table dialogue_question_files (
  id bigint generated always as identity primary key,
  question_id bigint not null references dialogue_questions (id),
  file_key text not null,
  file_name text not null check (length(file_name) <= 255),
  media_type text not null,
  size bigint not null,
  sha256 text not null
);
create index dialogue_question_files_question on dialogue_question_files (question_id);
