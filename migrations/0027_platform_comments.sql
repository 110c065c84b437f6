-- Comments on any module's objects: a draft's version, a question, a post. Each object is named by its
-- kind and id, as the module that owns it calls them; the module says whether it takes comments now
-- and which body moderates them.
create table comments (
  id bigint generated always as identity primary key,
  subject_type text not null check (length(subject_type) between 1 and 60),
  subject_id text not null check (length(subject_id) between 1 and 100),
  -- The part of the object the comment is about (a paragraph's eId), or null for the whole.
  anchor text check (length(anchor) <= 200),
  parent_id bigint references comments (id),
  author_id bigint not null references users (id),
  body text not null check (length(body) between 1 and 10000),
  created_at timestamptz not null default now(),
  -- The body whose editors moderate it, as the owning module said when it was written.
  agency_id bigint references agencies (id),
  -- A hidden comment keeps its text for the record; readers see the reason instead.
  hidden_reason text check (hidden_reason in ('abuse', 'personal-data', 'off-topic', 'duplicate')),
  hidden_note text check (length(hidden_note) <= 1000),
  duplicate_of bigint references comments (id),
  hidden_by bigint references users (id),
  hidden_at timestamptz,
  -- The form's own key: the same submission sent twice (a double click, a retry) is one comment.
  idempotency_key text check (length(idempotency_key) <= 100),
  unique (author_id, idempotency_key),
  check ((hidden_reason is null) = (hidden_at is null)),
  check (duplicate_of is null or hidden_reason = 'duplicate')
);
create index comments_subject on comments (subject_type, subject_id, created_at);
create index comments_parent on comments (parent_id);
create index comments_author on comments (author_id, created_at);

-- For and against: one vote per account on each object (a draft, a comment); a vote may be changed
-- or taken back.
create table votes (
  subject_type text not null,
  subject_id text not null,
  user_id bigint not null references users (id),
  value smallint not null check (value in (-1, 1)),
  created_at timestamptz not null default now(),
  primary key (subject_type, subject_id, user_id)
);

-- Actions counted per account and per address, for limits every process of the site shares.
create table rate_limit_hits (
  bucket text not null,
  at timestamptz not null default now()
);
create index rate_limit_hits_bucket_at on rate_limit_hits (bucket, at);
