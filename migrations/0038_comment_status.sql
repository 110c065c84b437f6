-- A comment's state is kept as every item's is, in `status`, changed by the platform's state step
-- (src/platform/states): visible, or hidden by a moderator, whose reason, note and moment stay in
-- the hidden_* columns while it is hidden.
alter table comments add column status text not null default 'visible' check (status in ('visible', 'hidden'));
update comments set status = 'hidden' where hidden_at is not null;
alter table comments add constraint comments_status_hidden check ((status = 'hidden') = (hidden_at is not null));
