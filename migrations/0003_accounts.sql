-- People who sign in: citizens, officials of bodies, the commission, administrators.
create table users (
  id bigint generated always as identity primary key,
  -- Kept lower-cased by the application, so that one address is one account.
  email text not null unique check (email = lower(email) and length(email) <= 254),
  password_hash text not null,
  display_name text not null default '',
  created_at timestamptz not null default now()
);

-- Roles: agency-editor and agency-head are scoped to one body; commission and admin to none.
create table role_grants (
  id bigint generated always as identity primary key,
  user_id bigint not null references users (id) on delete cascade,
  role text not null check (role in ('admin', 'commission', 'agency-editor', 'agency-head')),
  agency_id bigint references agencies (id),
  granted_at timestamptz not null default now(),
  check ((role in ('agency-editor', 'agency-head')) = (agency_id is not null))
);
create unique index role_grants_unique on role_grants (user_id, role, coalesce(agency_id, 0));

-- Server-side sessions; the cookie holds a random id, the table only its SHA-256.
create table sessions (
  id_hash text primary key,
  user_id bigint not null references users (id) on delete cascade,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index sessions_user_id on sessions (user_id);

-- Failed sign-ins per account, for the per-account limit shared by every app process.
create table sign_in_failures (
  email text not null,
  at timestamptz not null default now()
);
create index sign_in_failures_email_at on sign_in_failures (email, at);

-- API tokens for publishers; the token is shown once, the table keeps its SHA-256.
create table api_tokens (
  id bigint generated always as identity primary key,
  user_id bigint not null references users (id) on delete cascade,
  name text not null check (length(name) between 1 and 100),
  token_hash text not null unique,
  token_prefix text not null,
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
create index api_tokens_user_id on api_tokens (user_id);

-- Every change to a public record: who, when, which record, before and after. Append-only.
create table audit_log (
  id bigint generated always as identity primary key,
  at timestamptz not null default now(),
  actor_id bigint references users (id),
  actor_email text,
  action text not null,
  entity text not null,
  entity_id text not null,
  before jsonb,
  after jsonb
);
create index audit_log_entity on audit_log (entity, entity_id, at);

create function audit_log_is_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only: % is not allowed', tg_op using errcode = 'insufficient_privilege';
end
$$;

create trigger audit_log_append_only before update or delete on audit_log
  for each row execute function audit_log_is_append_only();
create trigger audit_log_no_truncate before truncate on audit_log
  for each statement execute function audit_log_is_append_only();

-- The role that runs the migrations is the app's role: it keeps INSERT and SELECT only.
-- (A superuser ignores privileges; the triggers above hold for everyone.)
revoke update, delete, truncate on audit_log from current_user;
