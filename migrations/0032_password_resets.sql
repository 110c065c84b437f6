-- Links sent to set a new password when the old one is forgotten: the table keeps the token's
-- SHA-256, the mail the token itself. A link works once, for an hour, and only for the address it
-- was sent to (an account whose address changed since resets nothing).
create table password_resets (
  token_hash text primary key,
  user_id bigint not null references users (id) on delete cascade,
  email text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz
);
create index password_resets_user_created on password_resets (user_id, created_at);
