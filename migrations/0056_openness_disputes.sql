-- The openness index's review window: after a month's first snapshot, a body's staff may dispute one
-- of its indicators with a reason and evidence; the commission accepts (the indicator's count is
-- corrected, in that snapshot and in the month's later ones) or rejects with a reason. All of it is public.
create table openness_disputes (
  id bigint generated always as identity primary key,
  snapshot_id bigint not null references openness_snapshots (id),
  agency_id bigint not null references agencies (id),
  indicator text not null check (length(indicator) between 1 and 60),
  reason text not null check (length(reason) between 1 and 4000),
  evidence text not null check (length(evidence) between 1 and 4000),
  -- What the body says the count should be (optional).
  claimed_numerator integer check (claimed_numerator >= 0),
  claimed_denominator integer check (claimed_denominator >= 0),
  status text not null default 'open' check (status in ('open', 'accepted', 'rejected')),
  submitted_by bigint not null references users (id),
  submitted_at timestamptz not null default now(),
  -- The commission's decision: its reason, and for an accepted dispute the count measured, the count
  -- corrected (the difference is carried into the month's later snapshots) and the score before and after.
  decided_by bigint references users (id),
  decided_at timestamptz,
  decision text check (length(decision) <= 4000),
  measured_numerator integer,
  measured_denominator integer,
  corrected_numerator integer check (corrected_numerator >= 0),
  corrected_denominator integer check (corrected_denominator >= 0),
  score_before numeric(5, 2),
  score_after numeric(5, 2),
  check (corrected_numerator is null or corrected_numerator <= corrected_denominator),
  check (claimed_numerator is null or claimed_numerator <= claimed_denominator),
  check ((status = 'open') = (decided_at is null))
);
-- One dispute of an indicator of a body's snapshot at a time.
create unique index openness_disputes_one_open on openness_disputes (snapshot_id, agency_id, indicator) where status = 'open';
create index openness_disputes_agency on openness_disputes (agency_id, submitted_at desc);

create trigger openness_disputes_version after insert or update or delete on openness_disputes
  for each statement execute function ashyq_version_moved('openness');
