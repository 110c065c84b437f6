-- A failed sign-in is kept with the address it came from: ten failures lock the account for that
-- address only (from others, attempts are slowed down, never refused), so no one can lock another
-- person out by typing wrong passwords for them.
alter table sign_in_failures add column address text;
create index sign_in_failures_email_address_at on sign_in_failures (email, address, at);
