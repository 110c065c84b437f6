-- Keywords and the contact's name in each language, as titles and descriptions are: a Russian page
-- shows the Russian keywords. keywords_by_language is {"kk": [...], "ru": [...], "en": [...]};
-- keywords stays as all of them in one list, which the search, the keyword filter and CKAN's tags use.
alter table datasets add column keywords_by_language jsonb not null default '{}';

-- Which language a word already stored is in, from its letters: one of Kazakh's own letters makes
-- it Kazakh, other Cyrillic Russian, anything else English. (Publishers correct what this misreads.)
create function ashyq_language_of_letters(word text) returns text language sql immutable parallel safe as $$
  select case when word ~ '[әғқңөұүһіӘҒҚҢӨҰҮҺІ]' then 'kk' when word ~ '[а-яА-ЯёЁ]' then 'ru' else 'en' end
$$;

update datasets d set keywords_by_language = (
  select jsonb_object_agg(lang, words) from (
    select ashyq_language_of_letters(k) as lang, jsonb_agg(k order by position) as words
    from unnest(d.keywords) with ordinality as u (k, position) group by 1) as by_language)
where cardinality(d.keywords) > 0;

alter table datasets alter column contact_name type jsonb
  using case when contact_name is null then null else jsonb_build_object(ashyq_language_of_letters(contact_name), contact_name) end;

drop function ashyq_language_of_letters(text);

-- The keywords a reader of a language sees: those in the first of the given languages that has any.
create function ashyq_keywords_in(by_language jsonb, languages text[]) returns setof text language sql immutable parallel safe as $$
  select jsonb_array_elements_text(by_language -> (
    select l from unnest(languages) with ordinality as u (l, position)
    where jsonb_typeof(by_language -> l) = 'array' and jsonb_array_length(by_language -> l) > 0
    order by position limit 1))
$$;
