-- Public discussion of a budget programme's draft or of the report on its execution (the Law "On
-- access to information", art. 17: the open budgets portal carries both for discussion): put up by
-- the programme's administrator for a period, commented on with the platform's comments
-- (subject_type 'budget-discussion'), each comment answered by the body in public.
create table budget_discussions (
  id bigint generated always as identity primary key,
  budget_id bigint not null references budgets (id),
  -- The programme discussed, by its administrative code ("225 001").
  code text not null check (code ~ '^[0-9]{3} [0-9]{3}$'),
  kind text not null check (kind in ('draft', 'report')),
  -- The body whose staff put it up and answer: the programme's administrator.
  agency_id bigint not null references agencies (id),
  title jsonb not null,
  body jsonb not null,
  -- Its days, Kazakhstan's: comments are taken from opens_on to closes_on, both included.
  opens_on date not null,
  closes_on date not null check (closes_on >= opens_on),
  created_by bigint references users (id),
  created_at timestamptz not null default now()
);
create index budget_discussions_budget on budget_discussions (budget_id, code);
create index budget_discussions_agency on budget_discussions (agency_id, opens_on);
create index budget_discussions_opens on budget_discussions (opens_on desc, id desc);

-- The body's answer to a comment that answers no other: in the language its staff write it in.
create table budget_discussion_answers (
  comment_id bigint primary key references comments (id),
  discussion_id bigint not null references budget_discussions (id),
  body text not null check (length(body) between 1 and 5000),
  lang text not null check (lang in ('kk', 'ru', 'en')),
  answered_by bigint references users (id),
  answered_at timestamptz not null default now()
);
create index budget_discussion_answers_discussion on budget_discussion_answers (discussion_id);

create trigger budget_discussions_version after insert or update or delete on budget_discussions
  for each statement execute function ashyq_version_moved('budgets');
create trigger budget_discussion_answers_version after insert or update or delete on budget_discussion_answers
  for each statement execute function ashyq_version_moved('budgets');
