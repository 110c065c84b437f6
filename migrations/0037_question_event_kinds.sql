-- A question's history records the steps of its life the state model names
-- (src/modules/dialogue/questions/states.ts, QUESTION_EVENT_KINDS), and no other.
alter table dialogue_question_events add constraint dialogue_question_events_kind
  check (kind in ('received', 'published', 'rejected', 'forwarded', 'extended', 'answered', 'rated', 'withdrawn', 'reminded'));
