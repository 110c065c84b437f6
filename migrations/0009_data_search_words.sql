-- Every word of the catalog's titles and keywords, once: a misspelt query word is matched against
-- this small list by trigram similarity (fast), then searched as the words it was probably meant to be.
create table data_search_words (word text primary key);
create index data_search_words_trgm on data_search_words using gin (word gin_trgm_ops);

create function ashyq_title_words(title jsonb, keywords text[]) returns setof text language sql immutable parallel safe as $$
  select distinct w from regexp_split_to_table(
    lower(coalesce(title ->> 'kk', '') || ' ' || coalesce(title ->> 'ru', '') || ' ' || coalesce(title ->> 'en', '') || ' ' || ashyq_join_words(keywords)),
    '[[:space:][:punct:]«»—–]+') w
  where length(w) >= 3
$$;

create function ashyq_collect_words() returns trigger language plpgsql as $$
begin
  insert into data_search_words (word) select ashyq_title_words(new.title, new.keywords) on conflict do nothing;
  return new;
end
$$;

create trigger datasets_collect_words after insert or update of title, keywords on datasets
  for each row execute function ashyq_collect_words();

insert into data_search_words (word) select distinct ashyq_title_words(title, keywords) from datasets on conflict do nothing;
