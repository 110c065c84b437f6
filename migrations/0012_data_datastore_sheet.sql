-- The sheet of a spreadsheet (XLSX) to load, by its name; null loads the first sheet.
alter table data_datastore add column load_sheet text;
