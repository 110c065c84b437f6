-- Kazakhstan's working-day calendar, for legal deadlines counted in working days. Saturdays and
-- Sundays are days off and every other day is a working day, except the days kept here: public
-- holidays, weekdays made days off (a holiday carried over from a weekend, or a day moved by the
-- government's decree) and weekend days made working days (the other half of a move).
create table calendar_days (
  day date primary key,
  kind text not null check (kind in ('holiday', 'day-off', 'working-day')),
  -- { "kk": …, "ru": …, "en": … }
  name jsonb not null default '{}',
  -- law: written from the Law "On holidays" when the year was first needed; admin: entered by an
  -- administrator; import: read from an iCalendar file.
  source text not null check (source in ('law', 'admin', 'import')),
  updated_at timestamptz not null default now()
);

-- Years whose days of the law have been written: an administrator's later change to one of them
-- (a day removed, a day's kind changed) is kept, never written over again.
create table calendar_years (
  year int primary key,
  seeded_at timestamptz not null default now()
);
