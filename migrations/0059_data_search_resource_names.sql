-- A dataset's plain-word search finds the names of its resources too, as CKAN's does (its Solr
-- "text" field copies res_name): the names, in every language, are kept on the dataset by the code
-- that keeps its formats, and weigh least in the search vectors.
alter table datasets add column resource_names text not null default '';

update datasets d set resource_names = coalesce((
  select string_agg(n.value, ' ' order by r.position) from data_resources r cross join jsonb_each_text(r.name) n
  where r.dataset_id = d.id and r.state = 'active'), '');

-- Generated columns cannot be altered: each is made again with the names added (its index goes with it).
alter table datasets drop column search_ru, drop column search_en, drop column search_kk;

alter table datasets
  add column search_ru tsvector generated always as (
    setweight(to_tsvector('russian', coalesce(title ->> 'ru', '')), 'A') ||
    setweight(to_tsvector('russian', ashyq_join_words(keywords)), 'B') ||
    setweight(to_tsvector('russian', coalesce(description ->> 'ru', '')), 'C') ||
    setweight(to_tsvector('russian', resource_names), 'D')
  ) stored,
  add column search_en tsvector generated always as (
    setweight(to_tsvector('english', coalesce(title ->> 'en', '')), 'A') ||
    setweight(to_tsvector('english', ashyq_join_words(keywords)), 'B') ||
    setweight(to_tsvector('english', coalesce(description ->> 'en', '')), 'C') ||
    setweight(to_tsvector('english', resource_names), 'D')
  ) stored,
  add column search_kk tsvector generated always as (
    setweight(to_tsvector('simple', coalesce(title ->> 'kk', '')), 'A') ||
    setweight(to_tsvector('simple', ashyq_join_words(keywords)), 'B') ||
    setweight(to_tsvector('simple', coalesce(description ->> 'kk', '')), 'C') ||
    setweight(to_tsvector('simple', resource_names), 'D')
  ) stored;

create index datasets_search_ru on datasets using gin (search_ru);
create index datasets_search_en on datasets using gin (search_en);
create index datasets_search_kk on datasets using gin (search_kk);
