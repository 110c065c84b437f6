-- The version of what each part of the site shows: a number per topic, moved on in the transaction
-- of every change to a table whose rows a public page shows. Pages are kept for anonymous readers
-- under the versions of the topics they show (src/platform/html/page-versions.ts), so a committed
-- change is seen by the next request in every process. The catalog keeps its own generation
-- (0023, 0024), which moves the topic "data" too.
create table platform_versions (
  topic text primary key check (topic ~ '^[a-z][a-z0-9-]{0,39}$'),
  n bigint not null
);
insert into platform_versions (topic, n) values
  ('agencies', 0), ('data', 0), ('legal-acts', 0), ('dialogue', 0), ('comments', 0), ('calendar', 0), ('users', 0);

-- The topic is the trigger's argument. Once per statement, however many rows it touched.
create function ashyq_version_moved() returns trigger language plpgsql as $$
begin
  insert into platform_versions (topic, n) values (tg_argv[0], 1)
    on conflict (topic) do update set n = platform_versions.n + 1;
  return null;
end
$$;

create trigger regions_version after insert or update or delete on regions
  for each statement execute function ashyq_version_moved('agencies');
create trigger agencies_version after insert or update or delete on agencies
  for each statement execute function ashyq_version_moved('agencies');
create trigger people_version after insert or update or delete on people
  for each statement execute function ashyq_version_moved('agencies');
create trigger positions_version after insert or update or delete on positions
  for each statement execute function ashyq_version_moved('agencies');

create trigger data_catalog_generation_version after update on data_catalog_generation
  for each statement execute function ashyq_version_moved('data');
create trigger data_requests_version after insert or update or delete on data_requests
  for each statement execute function ashyq_version_moved('data');
create trigger data_request_supports_version after insert or update or delete on data_request_supports
  for each statement execute function ashyq_version_moved('data');

create trigger legal_act_drafts_version after insert or update or delete on legal_act_drafts
  for each statement execute function ashyq_version_moved('legal-acts');
create trigger legal_act_versions_version after insert or update or delete on legal_act_versions
  for each statement execute function ashyq_version_moved('legal-acts');
create trigger legal_act_attachments_version after insert or update or delete on legal_act_attachments
  for each statement execute function ashyq_version_moved('legal-acts');
create trigger legal_act_answers_version after insert or update or delete on legal_act_answers
  for each statement execute function ashyq_version_moved('legal-acts');
create trigger legal_act_events_version after insert or update or delete on legal_act_events
  for each statement execute function ashyq_version_moved('legal-acts');

create trigger dialogue_blogs_version after insert or update or delete on dialogue_blogs
  for each statement execute function ashyq_version_moved('dialogue');
create trigger dialogue_posts_version after insert or update or delete on dialogue_posts
  for each statement execute function ashyq_version_moved('dialogue');
create trigger dialogue_questions_version after insert or update or delete on dialogue_questions
  for each statement execute function ashyq_version_moved('dialogue');
create trigger dialogue_question_events_version after insert or update or delete on dialogue_question_events
  for each statement execute function ashyq_version_moved('dialogue');
create trigger dialogue_question_files_version after insert or update or delete on dialogue_question_files
  for each statement execute function ashyq_version_moved('dialogue');
create trigger dialogue_conferences_version after insert or update or delete on dialogue_conferences
  for each statement execute function ashyq_version_moved('dialogue');
create trigger dialogue_conference_answers_version after insert or update or delete on dialogue_conference_answers
  for each statement execute function ashyq_version_moved('dialogue');

create trigger comments_version after insert or update or delete on comments
  for each statement execute function ashyq_version_moved('comments');
create trigger votes_version after insert or update or delete on votes
  for each statement execute function ashyq_version_moved('comments');

create trigger calendar_days_version after insert or update or delete on calendar_days
  for each statement execute function ashyq_version_moved('calendar');
create trigger calendar_years_version after insert or update or delete on calendar_years
  for each statement execute function ashyq_version_moved('calendar');

-- A person's shown name (on comments, questions and answers); nothing else of an account is public.
create trigger users_name_version after update of display_name on users
  for each row when (old.display_name is distinct from new.display_name) execute function ashyq_version_moved('users');
create trigger users_deleted_version after delete on users
  for each statement execute function ashyq_version_moved('users');
