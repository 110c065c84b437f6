-- A comment's moderators are the editors of the body that owns its object now, as the owning module
-- says (CommentableSubject.agencyId), not a copy made when it was written: a draft moved to another
-- body has its comments moderated by that body.
alter table comments drop column agency_id;
