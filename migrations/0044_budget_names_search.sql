-- Programmes and subprogrammes found by name in any language, as state bodies are (0002): names
-- lower-cased, the Cyrillic ones again in Latin letters, under one trigram index.
alter table budget_names add column search_text text generated always as (
  lower(coalesce(name ->> 'kk', '') || ' ' || coalesce(name ->> 'ru', '') || ' ' || coalesce(name ->> 'en', ''))
  || ' ' || ashyq_latin(lower(coalesce(name ->> 'kk', '') || ' ' || coalesce(name ->> 'ru', '')))
) stored;

create index budget_names_search_text_trgm on budget_names using gin (search_text gin_trgm_ops);
