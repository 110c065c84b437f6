-- Where a region's (or city's) centre lies, in degrees: maps of counts by region (a petition's
-- signatures) put each region's figure there. Kept once, on the region.
alter table regions add column centre_lon double precision check (centre_lon between -180 and 180);
alter table regions add column centre_lat double precision check (centre_lat between -90 and 90);
alter table regions add constraint regions_centre_point check ((centre_lon is null) = (centre_lat is null));

-- Where a petition's signatures came from, to watch for bursts: the address is never kept, only a
-- hash of it salted per petition (the same address on two petitions hashes apart).
alter table dialogue_petitions add column signature_salt text not null default md5(random()::text || clock_timestamp()::text);
alter table dialogue_petition_signatures add column address_hash text check (length(address_hash) <= 64);
create index dialogue_petition_signatures_address on dialogue_petition_signatures (petition_id, address_hash) where invalidated_at is null;
