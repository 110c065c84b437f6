-- The chart a publisher chose to show first with a table: { "type", "x", "y": [...], "agg" }.
alter table data_datastore add column default_chart jsonb;
