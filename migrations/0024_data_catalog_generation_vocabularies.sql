-- What a dataset's record shows from other tables moves the catalog's generation too: the Unified
-- List entry it fulfils (its deadlines), its themes, its licence and its region. These change
-- rarely; a kept page or count that showed the old value is then made again.
create trigger data_list_entries_catalog_changed after insert or update or delete on data_list_entries
  for each statement execute function ashyq_catalog_changed();
create trigger data_themes_catalog_changed after insert or update or delete on data_themes
  for each statement execute function ashyq_catalog_changed();
create trigger data_licences_catalog_changed after insert or update or delete on data_licences
  for each statement execute function ashyq_catalog_changed();
create trigger regions_catalog_changed after insert or update or delete on regions
  for each statement execute function ashyq_catalog_changed();
