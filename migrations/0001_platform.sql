-- Trigram matching: search that tolerates typos and partial words in every language.
create extension if not exists pg_trgm;
