-- Drafts of regulations in public discussion (Open Legal Acts). A draft belongs to the body that
-- develops it; its text lives in versions, and comments on it are the platform's comments on one
-- version ("legal-act-version"), anchored to a paragraph's eId.
create table legal_act_drafts (
  id bigint generated always as identity primary key,
  agency_id bigint not null references agencies (id),
  -- The draft's id in the government's drafting system: importing it again updates this draft.
  external_id text unique check (length(external_id) <= 100),
  kind text not null,
  topic text not null,
  title jsonb not null,
  summary jsonb not null default '{}',
  -- It sets the procedure of a public service: the Law "On public services" wants a discussion of at
  -- least 10 working days.
  public_service boolean not null default false,
  status text not null default 'preparation'
    check (status in ('preparation', 'discussion', 'closed', 'answered', 'adopted', 'withdrawn')),
  -- The discussion's first and last days (Kazakhstan's dates); it closes when the last day ends.
  discussion_start date,
  discussion_end date,
  -- Shorter than the minimum the rules set: only an import from the drafting system can bring one,
  -- and it is kept as a fact for the openness index, not refused.
  below_minimum boolean not null default false,
  -- The day the answers to the proposals are due (working days after the discussion closes).
  answers_due date,
  adopted_on date,
  adopted_url text check (length(adopted_url) <= 2000),
  adopted_title jsonb,
  withdrawn_reason jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((discussion_start is null) = (discussion_end is null) and (discussion_end is null or discussion_end >= discussion_start)),
  -- Titles and summaries in all three languages, lower-cased, the Cyrillic ones again in Latin letters:
  -- one trigram index finds a draft by a word of any of them, typos tolerated.
  search_text text generated always as (
    lower(
      coalesce(title ->> 'kk', '') || ' ' || coalesce(title ->> 'ru', '') || ' ' || coalesce(title ->> 'en', '') || ' ' ||
      coalesce(summary ->> 'kk', '') || ' ' || coalesce(summary ->> 'ru', '') || ' ' || coalesce(summary ->> 'en', '')
    ) || ' ' || ashyq_latin(lower(coalesce(title ->> 'kk', '') || ' ' || coalesce(title ->> 'ru', '')))
  ) stored
);
create index legal_act_drafts_search_text_trgm on legal_act_drafts using gin (search_text gin_trgm_ops);
create index legal_act_drafts_agency on legal_act_drafts (agency_id);
create index legal_act_drafts_status_end on legal_act_drafts (status, discussion_end);

-- Each version of a draft's text: sections and numbered paragraphs, each with its eId (as in Akoma
-- Ntoso) and its text per language: [{ "eId": "para_3", "kind": "paragraph", "num": "3", "text": {…} }].
create table legal_act_versions (
  id bigint generated always as identity primary key,
  draft_id bigint not null references legal_act_drafts (id),
  number int not null check (number >= 1),
  body jsonb not null,
  -- What changed against the previous version, in the developer's words.
  note jsonb not null default '{}',
  created_at timestamptz not null default now(),
  created_by bigint references users (id),
  unique (draft_id, number)
);

-- The documents that come with a draft: the explanatory note, the comparative table, the analysis of
-- its regulatory impact.
create table legal_act_attachments (
  id bigint generated always as identity primary key,
  draft_id bigint not null references legal_act_drafts (id),
  kind text not null check (kind in ('explanatory-note', 'comparative-table', 'impact-analysis', 'other')),
  title jsonb not null default '{}',
  file_key text not null,
  file_name text not null check (length(file_name) <= 255),
  media_type text,
  size bigint not null,
  sha256 text not null,
  created_at timestamptz not null default now()
);
create index legal_act_attachments_draft on legal_act_attachments (draft_id);

-- The developer's answer to each proposal (a comment that answers nothing else): accepted, partly
-- accepted or not, with the reason.
create table legal_act_answers (
  comment_id bigint primary key references comments (id),
  draft_id bigint not null references legal_act_drafts (id),
  decision text not null check (decision in ('accepted', 'partly', 'rejected')),
  reason jsonb not null default '{}',
  answered_by bigint references users (id),
  answered_at timestamptz not null default now()
);
create index legal_act_answers_draft on legal_act_answers (draft_id);

-- Every step of a draft's life, dated and public: published for discussion, closed, answers
-- published, adopted, withdrawn, a new version.
create table legal_act_events (
  id bigint generated always as identity primary key,
  draft_id bigint not null references legal_act_drafts (id),
  kind text not null check (kind in ('created', 'discussion', 'closed', 'answered', 'adopted', 'withdrawn', 'version')),
  at timestamptz not null default now(),
  detail jsonb not null default '{}'
);
create index legal_act_events_draft on legal_act_events (draft_id, at);
