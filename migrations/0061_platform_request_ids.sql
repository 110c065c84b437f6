-- The request that wrote a mail into the outbox, and the one that queued a table's load: the id its
-- log lines carry (X-Request-Id), so that a mail or a load can be traced back to them.
alter table outbox add column request_id text check (length(request_id) <= 100);
alter table data_datastore add column load_request_id text check (length(load_request_id) <= 100);
