-- People who hold a role in a state body, kept once: the body's page, the head's blog and every
-- portal after them read the same record. A person's name is theirs; a position is one person in
-- one role at one body for a stretch of days (the first and, once it ends, the last day).
create table people (
  id bigint generated always as identity primary key,
  name jsonb not null default '{}',
  created_at timestamptz not null default now()
);

create table positions (
  id bigint generated always as identity primary key,
  person_id bigint not null references people (id),
  agency_id bigint not null references agencies (id),
  role text not null check (role in ('head')),
  -- What the position is called at this body ("Министр здравоохранения").
  title jsonb not null default '{}',
  -- The first day; null for a head recorded before days were kept.
  started_on date,
  ended_on date check (ended_on is null or started_on is null or ended_on >= started_on),
  created_at timestamptz not null default now()
);
-- One head at a time for a body.
create unique index positions_one_current on positions (agency_id, role) where ended_on is null;
create index positions_agency on positions (agency_id, role, started_on desc);

-- The heads kept twice until now (the body's record and the blog): the blog's, where it names one
-- (its staff keep it), else the body's.
create temporary table head_sources on commit drop as
  select a.id as agency_id,
    case when b.head_name is not null and b.head_name <> '{}'::jsonb then b.head_name else a.head_name end as name,
    case when b.head_name is not null and b.head_name <> '{}'::jsonb then coalesce(nullif(b.head_position, '{}'::jsonb), a.head_title) else a.head_title end as title
  from agencies a left join dialogue_blogs b on b.agency_id = a.id;
alter table people add column seeded_for bigint;
insert into people (name, seeded_for) select name, agency_id from head_sources where name <> '{}'::jsonb;
insert into positions (person_id, agency_id, role, title, started_on)
  select p.id, h.agency_id, 'head', h.title, null from people p join head_sources h on h.agency_id = p.seeded_for;
alter table people drop column seeded_for;


-- A blog's biography and photo are of one person: a new head's page starts without the last one's.
alter table dialogue_blogs add column person_id bigint references people (id);
update dialogue_blogs b set person_id = p.person_id from positions p where p.agency_id = b.agency_id and p.role = 'head' and p.ended_on is null;

alter table agencies drop column head_name, drop column head_title;
alter table dialogue_blogs drop column head_name, drop column head_position;
