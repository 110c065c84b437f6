-- How many people live in a region or city of republican significance: a petition to its akimat or
-- maslikhat needs a share of them (src/modules/dialogue/petitions/rules.ts). Kept once, on the region.
alter table regions add column population integer check (population > 0);

-- A citizen's online petition to a body (src/modules/dialogue/petitions): its states in
-- petitions/states.ts, held here by a CHECK; the number of signatures it needs is fixed when it is
-- published, by the rules then in force.
create table dialogue_petitions (
  id bigint generated always as identity primary key,
  agency_id bigint not null references agencies (id),
  level text not null check (level in ('government', 'regional-akimat', 'regional-maslikhat', 'district-akimat', 'district-maslikhat')),
  author_id bigint not null references users (id),
  show_name boolean not null,
  lang text not null check (lang in ('kk', 'ru', 'en')),
  title text not null check (length(title) between 1 and 300),
  -- Why: the petition's reasons; and what it asks the body to do.
  body text not null check (length(body) <= 10000),
  request text not null check (length(request) <= 3000),
  status text not null default 'draft' constraint dialogue_petitions_status
    check (status in ('draft', 'moderation', 'rejected', 'collecting', 'not-supported', 'consideration', 'discussion', 'answered', 'withdrawn')),
  signatures integer not null default 0 check (signatures >= 0),
  signatures_needed integer check (signatures_needed > 0),
  public_at integer not null check (public_at >= 0),
  submitted_on date,
  moderation_due date,
  published_on date,
  collecting_until date,
  listed_on date,
  supported_on date,
  consideration_due date,
  answered_on date,
  rejection_reason text,
  rejection_note text check (length(rejection_note) <= 2000),
  decision jsonb,
  idempotency_key text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (author_id, idempotency_key),
  check ((status = 'rejected') = (rejection_reason is not null))
);
create index dialogue_petitions_agency on dialogue_petitions (agency_id, status);
create index dialogue_petitions_status on dialogue_petitions (status, published_on desc);

-- One signature per account and petition; a moderator may invalidate one with a reason (kept, not counted).
create table dialogue_petition_signatures (
  petition_id bigint not null references dialogue_petitions (id),
  user_id bigint not null references users (id),
  show_name boolean not null default false,
  region_code text references regions (code),
  signed_at timestamptz not null default now(),
  invalidated_at timestamptz,
  invalidation_reason text check (length(invalidation_reason) <= 500),
  primary key (petition_id, user_id),
  check ((invalidated_at is null) = (invalidation_reason is null))
);
create index dialogue_petition_signatures_region on dialogue_petition_signatures (petition_id, region_code) where invalidated_at is null;

create table dialogue_petition_events (
  id bigint generated always as identity primary key,
  petition_id bigint not null references dialogue_petitions (id),
  kind text not null constraint dialogue_petition_events_kind check (kind in (
    'created', 'submitted', 'published', 'rejected', 'listed', 'supported', 'not-supported', 'discussion', 'answered', 'withdrawn', 'signatures-invalidated')),
  actor_id bigint references users (id),
  at timestamptz not null default now(),
  detail jsonb not null default '{}'
);
create index dialogue_petition_events_petition on dialogue_petition_events (petition_id, at);

-- Petitions' pages are kept under the topic "petitions": a signature makes no other page again.
insert into platform_versions (topic, n) values ('petitions', 0) on conflict do nothing;
create trigger dialogue_petitions_version after insert or update or delete on dialogue_petitions
  for each statement execute function ashyq_version_moved('petitions');
create trigger dialogue_petition_signatures_version after insert or update or delete on dialogue_petition_signatures
  for each statement execute function ashyq_version_moved('petitions');
create trigger dialogue_petition_events_version after insert or update or delete on dialogue_petition_events
  for each statement execute function ashyq_version_moved('petitions');
