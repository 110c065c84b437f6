-- Columns of a live table that could not be indexed (a value too long for a B-tree index entry, …),
-- each with the database's reason: recorded on the table's own record, so that one file's columns
-- never hold up the indexing of any other table.
alter table data_datastore add column index_problems jsonb not null default '[]'::jsonb;
