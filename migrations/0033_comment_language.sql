-- The language each comment is written in, for its lang attribute (a screen reader reads a Russian
-- comment on a Kazakh page in Russian): read from its letters when it is written. Those written
-- before are read so now.
alter table comments add column lang text check (lang in ('kk', 'ru', 'en'));
update comments set lang = case
  when body ~ '[әғқңөұүһіӘҒҚҢӨҰҮҺІ]' then 'kk'
  when body ~ '[а-яёА-ЯЁ]' then 'ru'
  when body ~ '[A-Za-z]' then 'en'
end;
