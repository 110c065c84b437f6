-- The language a person reads the site in when they register: the language their mail is written in.
alter table users add column lang text not null default 'kk' check (lang in ('kk', 'ru', 'en'));
-- When the person proved the address is theirs (a link sent to it was followed); null until then.
-- Commenting, asking and signing need it.
alter table users add column email_confirmed_at timestamptz;

-- Links sent to prove an address: the table keeps the token's SHA-256, the mail the token itself.
create table email_confirmations (
  token_hash text primary key,
  user_id bigint not null references users (id) on delete cascade,
  -- The address the link was sent to: an account whose address changed since confirms nothing.
  email text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz
);
create index email_confirmations_user_created on email_confirmations (user_id, created_at);

-- Mail to send, written in the same transaction as the event it tells of: a rolled-back event sends
-- nothing, a committed one is sent even if the process stops right after. The sender job claims due
-- rows, sends them over SMTP and marks them sent; failures are retried with growing waits.
create table outbox (
  id bigint generated always as identity primary key,
  created_at timestamptz not null default now(),
  recipient text not null check (length(recipient) <= 254),
  lang text not null check (lang in ('kk', 'ru', 'en')),
  -- What the mail tells of (email-confirmation, comment-reply…), for the administrators' list.
  kind text not null,
  subject text not null,
  body text not null,
  -- One event, one mail: an event written twice (a retried request) finds its mail already here.
  dedupe_key text unique,
  state text not null default 'pending' check (state in ('pending', 'sending', 'sent', 'failed')),
  attempts int not null default 0,
  next_attempt_at timestamptz not null default now(),
  -- A sender that claimed the row and stopped before saying how it went: the claim lapses then.
  claimed_until timestamptz,
  sent_at timestamptz,
  last_error text
);
create index outbox_due on outbox (next_attempt_at) where state in ('pending', 'sending');
create index outbox_created on outbox (created_at desc);
