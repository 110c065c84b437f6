-- A budget told in plain words for citizens, written by its keeper in kk, ru and en: a lead and
-- sections, each of which may carry a chart drawn from the budget's own figures (never a picture).
create table budget_citizens (
  budget_id bigint primary key references budgets (id),
  lead jsonb not null,
  -- [{"heading": {kk, ru, en}, "body": {kk, ru, en}, "chart": null | "functional" | "administrative" | "economic" | "revenue" | "execution"}]
  sections jsonb not null,
  updated_at timestamptz not null default now()
);

create trigger budget_citizens_version after insert or update or delete on budget_citizens
  for each statement execute function ashyq_version_moved('budgets');
