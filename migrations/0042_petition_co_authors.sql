-- A petition's co-authors (src/modules/dialogue/petitions): people who put their names to a draft
-- beside its author, by the invitation link the author shares (its token is kept here, a secret of
-- the author's), so many as the rules ask for before it may be submitted (ASHYQ_PETITION_CO_AUTHORS).
alter table dialogue_petitions add column co_author_token text not null default md5(random()::text || clock_timestamp()::text);

create table dialogue_petition_co_authors (
  petition_id bigint not null references dialogue_petitions (id),
  user_id bigint not null references users (id),
  show_name boolean not null,
  joined_at timestamptz not null default now(),
  primary key (petition_id, user_id)
);
create trigger dialogue_petition_co_authors_version after insert or update or delete on dialogue_petition_co_authors
  for each statement execute function ashyq_version_moved('petitions');

alter table dialogue_petition_events drop constraint dialogue_petition_events_kind;
alter table dialogue_petition_events add constraint dialogue_petition_events_kind check (kind in (
  'created', 'co-author-joined', 'co-author-left', 'submitted', 'published', 'rejected', 'listed', 'supported', 'not-supported', 'discussion', 'answered',
  'withdrawn', 'signatures-invalidated'));
