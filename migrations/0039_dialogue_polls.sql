-- Where a person lives, as they state it on their account page: a poll limited to a region's
-- residents asks it, and petitions' signatures are counted by it. Kept once, on the person.
alter table users add column region_code text references regions (code);

-- A body's poll (src/modules/dialogue/polls): one question, its options, open from its first day
-- to its last (days in Kazakhstan), not changed once published (a mistake is withdrawn, with a
-- public reason, and asked again).
create table dialogue_polls (
  id bigint generated always as identity primary key,
  agency_id bigint not null references agencies (id),
  title jsonb not null,
  description jsonb not null default '{}',
  choice text not null check (choice in ('single', 'multiple')),
  -- An answer in the voter's own words beside the options; the body reads them, the public sees how many.
  free_text boolean not null default false,
  opens_on date not null,
  closes_on date not null,
  -- Limited to the residents of one region (or city of republican significance), or open to all.
  region_code text references regions (code),
  -- Whether a voter may change their ballot until the poll closes.
  changeable boolean not null default false,
  -- When the public sees the counts: as they come, or once the poll has closed.
  results text not null check (results in ('live', 'after-close')),
  status text not null default 'published' constraint dialogue_polls_status check (status in ('published', 'closed', 'withdrawn')),
  withdrawn_reason jsonb,
  created_by bigint not null references users (id),
  created_at timestamptz not null default now(),
  check (closes_on >= opens_on),
  check ((status = 'withdrawn') = (withdrawn_reason is not null))
);
create index dialogue_polls_agency on dialogue_polls (agency_id, opens_on desc);

create table dialogue_poll_options (
  id bigint generated always as identity primary key,
  poll_id bigint not null references dialogue_polls (id),
  position integer not null check (position >= 1),
  label jsonb not null,
  unique (poll_id, position)
);

-- One ballot per person and poll; what it chose is its rows in dialogue_poll_choices.
create table dialogue_poll_ballots (
  poll_id bigint not null references dialogue_polls (id),
  user_id bigint not null references users (id),
  other_text text check (length(other_text) <= 2000),
  cast_at timestamptz not null default now(),
  changed_at timestamptz,
  primary key (poll_id, user_id)
);
create table dialogue_poll_choices (
  poll_id bigint not null,
  user_id bigint not null,
  option_id bigint not null references dialogue_poll_options (id),
  primary key (poll_id, user_id, option_id),
  foreign key (poll_id, user_id) references dialogue_poll_ballots (poll_id, user_id) on delete cascade
);
create index dialogue_poll_choices_option on dialogue_poll_choices (poll_id, option_id);

-- A poll's life, dated and public (src/modules/dialogue/polls/states.ts, POLL_EVENT_KINDS).
create table dialogue_poll_events (
  id bigint generated always as identity primary key,
  poll_id bigint not null references dialogue_polls (id),
  kind text not null constraint dialogue_poll_events_kind check (kind in ('published', 'closed', 'withdrawn')),
  actor_id bigint references users (id),
  at timestamptz not null default now(),
  detail jsonb not null default '{}'
);
create index dialogue_poll_events_poll on dialogue_poll_events (poll_id, at);

-- A poll's pages are kept under their own topic: a vote moves "polls" alone, not every page of the
-- dialogue. The blogs list polls, so a poll itself moves "dialogue" too.
insert into platform_versions (topic, n) values ('polls', 0) on conflict do nothing;
create trigger dialogue_polls_version after insert or update or delete on dialogue_polls
  for each statement execute function ashyq_version_moved('dialogue');
create trigger dialogue_polls_polls_version after insert or update or delete on dialogue_polls
  for each statement execute function ashyq_version_moved('polls');
create trigger dialogue_poll_options_version after insert or update or delete on dialogue_poll_options
  for each statement execute function ashyq_version_moved('polls');
create trigger dialogue_poll_ballots_version after insert or update or delete on dialogue_poll_ballots
  for each statement execute function ashyq_version_moved('polls');
create trigger dialogue_poll_choices_version after insert or update or delete on dialogue_poll_choices
  for each statement execute function ashyq_version_moved('polls');
create trigger dialogue_poll_events_version after insert or update or delete on dialogue_poll_events
  for each statement execute function ashyq_version_moved('polls');
