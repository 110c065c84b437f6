-- What a person follows: a body ("agency:<slug>"), a topic ("topic:<code>") or one item
-- ("legal-act:<id>"), named as the module that owns it names it. Mail about it goes to every follower
-- with a confirmed address, in their language.
create table subscriptions (
  id bigint generated always as identity primary key,
  user_id bigint not null references users (id) on delete cascade,
  topic text not null check (length(topic) between 3 and 200),
  -- Put in every mail's "stop these mails" link: it can do nothing but end this one subscription.
  unsubscribe_token text not null unique,
  created_at timestamptz not null default now(),
  unique (user_id, topic)
);
create index subscriptions_topic on subscriptions (topic);
