-- One order's work in the users database, as user-service and its relay issue it (statements copied
-- from PostgreSQL's statement log of one order; run by ./emporium bench with pgbench -M prepared).
-- Not part of an order: the first line, which picks a shopper from bench_accounts (made by the runner)
-- and draws this order's ids.
\set a random(1, :accounts)
select account_id as account, gen_random_uuid() as order_id, gen_random_uuid() as m1, gen_random_uuid() as m2,
       gen_random_uuid() as m3 from bench_accounts where n = :a \gset

-- 1. ReserveCredit: inbox, the conditional credit update, the reservation, CreditReserved
BEGIN;
insert into inbox (message_id, type, correlation_id, received_at)
    select id, type, correlation_id, now() from unnest(cast(array[:m1] as uuid[]), cast(array['ReserveCredit'] as text[]), cast(array[:order_id] as text[])) as m (id, type, correlation_id)
    on conflict (message_id) do nothing returning message_id;
select order_id, account_id, amount, currency, status from credit_reservations where order_id = :order_id for update;
SELECT "credit_accounts"."used" AS "used", "credit_accounts"."version" AS "version", "credit_accounts"."reserved" AS "reserved", "credit_accounts"."currency" AS "currency", "credit_accounts"."account_id" AS "account_id", "credit_accounts"."credit_limit" AS "credit_limit" FROM "credit_accounts" WHERE "credit_accounts"."account_id" = :account;
update credit_accounts set reserved = reserved + 22.0, version = version + 1 where account_id = :account and credit_limit - reserved - used >= 22.0;
insert into credit_reservations (order_id, account_id, amount, currency, status, reason, created_at, updated_at)
    values (:order_id, :account, 22.0, 'EUR', 'RESERVED', NULL, now(), now());
insert into outbox (message_id, topic, message_key, type, correlation_id, occurred_at, envelope, headers)
    values (:m2, 'order-saga-replies', :order_id, 'CreditReserved', :order_id, now(), cast('{"messageId":"f88cc477-c3b2-47b2-b158-3ecc4dcc7e5c","type":"CreditReserved","occurredAt":"2026-11-22T05:12:35.063222171Z","correlationId":"429229ee-5336-4219-a053-54ff9ce50a28","payload":{"orderId":"429229ee-5336-4219-a053-54ff9ce50a28","amount":22.0,"currency":"EUR"}}' as jsonb), cast('{"traceparent":"00-4e4e6a51d04249a679ab6dffac86b7ca-d53f4488cf17a0ae-00"}' as jsonb));
COMMIT;

-- 2. the relay publishes CreditReserved
BEGIN;
select pg_try_advisory_xact_lock(hashtext('emporium.outbox-relay'));
update outbox set sent_at = now()
    where id in (select id from outbox where sent_at is null order by id limit 200 for update skip locked)
    returning id, message_id, type, correlation_id, topic, message_key, envelope::text as envelope, headers::text as headers;
COMMIT;

-- 3. CommitCredit: reserved becomes used
BEGIN;
insert into inbox (message_id, type, correlation_id, received_at)
    select id, type, correlation_id, now() from unnest(cast(array[:m3] as uuid[]), cast(array['CommitCredit'] as text[]), cast(array[:order_id] as text[])) as m (id, type, correlation_id)
    on conflict (message_id) do nothing returning message_id;
select order_id, account_id, amount, currency, status from credit_reservations where order_id = :order_id for update;
update credit_accounts set reserved = reserved - 22.00, used = used + 22.00, version = version + 1 where account_id = :account and reserved >= 22.00;
update credit_reservations set status = 'COMMITTED', reason = NULL, updated_at = now() where order_id = :order_id;
COMMIT;
