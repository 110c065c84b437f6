-- Requests for datasets that are not published: a citizen asks a body, others support the request,
-- the body answers (planned by a date, published with a link, or refused with a reason).
create table data_requests (
  id bigint generated always as identity primary key,
  agency_id bigint not null references agencies (id),
  title text not null check (length(title) between 1 and 200),
  description text not null check (length(description) <= 5000),
  lang text not null check (lang in ('kk', 'ru', 'en')),
  author_id bigint not null references users (id),
  status text not null default 'open' check (status in ('open', 'planned', 'published', 'refused')),
  answer text check (length(answer) <= 5000),
  planned_for date,
  dataset_id uuid references datasets (id),
  answered_by bigint references users (id),
  answered_at timestamptz,
  supporters integer not null default 0,
  created_at timestamptz not null default now(),
  check (status <> 'planned' or planned_for is not null),
  check (status <> 'published' or dataset_id is not null),
  check (status <> 'refused' or answer is not null)
);

create index data_requests_agency on data_requests (agency_id, status);

-- One support per account; the count on the request is kept in the same transaction.
create table data_request_supports (
  request_id bigint not null references data_requests (id),
  user_id bigint not null references users (id),
  created_at timestamptz not null default now(),
  primary key (request_id, user_id)
);
