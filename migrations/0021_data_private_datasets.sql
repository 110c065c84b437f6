-- A private dataset (CKAN's "private": true) is seen only by its body's editors and heads and by
-- administrators: every public list, page, search, feed and API answer leaves it out.
alter table datasets add column private boolean not null default false;
