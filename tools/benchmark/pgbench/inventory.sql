-- One order's work in the inventory database, as inventory-service and its relay issue it (statements
-- copied from PostgreSQL's statement log of one order; run by ./emporium bench with pgbench -M prepared).
-- Not part of an order: the first line, which picks a product from bench_products (made by the runner)
-- and draws this order's ids.
\set p random(1, :products)
select id as product, gen_random_uuid() as order_id, gen_random_uuid() as m1, gen_random_uuid() as m2, gen_random_uuid() as m3,
       gen_random_uuid() as m4, gen_random_uuid() as m5 from bench_products where n = :p \gset

-- 1. the pricing call of POST /api/orders (two read-only transactions)
BEGIN READ ONLY;
SELECT "products"."id" AS "id", "products"."sku" AS "sku", "products"."name" AS "name", "products"."price_amount" AS "price_amount", "products"."price_currency" AS "price_currency", "products"."version" AS "version", "products"."category" AS "category", "products"."description" AS "description" FROM "products" WHERE "products"."id" = :product;
COMMIT;
BEGIN READ ONLY;
select product_id, available, reserved, sold, low_stock_threshold from stock where product_id = :product;
COMMIT;

-- 2. ReserveStock: inbox, the conditional stock update, the reservation, StockReserved and StockChanged
BEGIN;
insert into inbox (message_id, type, correlation_id, received_at)
    select id, type, correlation_id, now() from unnest(cast(array[:m1] as uuid[]), cast(array['ReserveStock'] as text[]), cast(array[:order_id] as text[])) as m (id, type, correlation_id)
    on conflict (message_id) do nothing returning message_id;
select status from reservations where order_id = :order_id for update;
SAVEPOINT "SAVEPOINT_1";
update stock set available = available - 1, reserved = reserved + 1 where product_id = :product and available >= 1
    returning product_id, available, reserved, sold, low_stock_threshold;
RELEASE SAVEPOINT "SAVEPOINT_1";
insert into reservations (order_id, status, reason, created_at, expires_at, updated_at) values (:order_id, 'RESERVED', NULL, now(), now() + interval '10 minutes', now());
insert into reservation_lines (order_id, product_id, quantity) values (:order_id, :product, 1);
insert into outbox (message_id, topic, message_key, type, correlation_id, occurred_at, envelope, headers)
    values (:m2, 'order-saga-replies', :order_id, 'StockReserved', :order_id, now(), cast('{"messageId":"7eac8359-d582-46a0-8433-d4050109f16b","type":"StockReserved","occurredAt":"2026-11-22T05:12:35.030701121Z","correlationId":"429229ee-5336-4219-a053-54ff9ce50a28","payload":{"orderId":"429229ee-5336-4219-a053-54ff9ce50a28","lines":[{"productId":"ae2eb154-7f15-4524-b4b9-b5df9e7769b1","quantity":1}]}}' as jsonb), cast('{"traceparent":"00-4e4e6a51d04249a679ab6dffac86b7ca-61f895b3378d879b-00"}' as jsonb));
insert into outbox (message_id, topic, message_key, type, correlation_id, occurred_at, envelope, headers)
    values (:m3, 'inventory-events', :product, 'StockChanged', NULL, now(), cast('{"messageId":"b8ebc8b2-7f58-49cb-acde-824330010fe3","type":"StockChanged","occurredAt":"2026-11-22T05:12:35.031616129Z","correlationId": null,"payload":{"productId":"ae2eb154-7f15-4524-b4b9-b5df9e7769b1","available":799849,"reserved":1,"sold":210}}' as jsonb), cast('{"traceparent":"00-4e4e6a51d04249a679ab6dffac86b7ca-aa5d282b7e26a16d-00"}' as jsonb));
COMMIT;

-- 3. the relay publishes StockReserved and StockChanged
BEGIN;
select pg_try_advisory_xact_lock(hashtext('emporium.outbox-relay'));
update outbox set sent_at = now()
    where id in (select id from outbox where sent_at is null order by id limit 200 for update skip locked)
    returning id, message_id, type, correlation_id, topic, message_key, envelope::text as envelope, headers::text as headers;
COMMIT;

-- 4. CommitStock: reserved becomes sold
BEGIN;
insert into inbox (message_id, type, correlation_id, received_at)
    select id, type, correlation_id, now() from unnest(cast(array[:m4] as uuid[]), cast(array['CommitStock'] as text[]), cast(array[:order_id] as text[])) as m (id, type, correlation_id)
    on conflict (message_id) do nothing returning message_id;
select status from reservations where order_id = :order_id for update;
select product_id, quantity from reservation_lines where order_id = :order_id order by product_id;
update stock set reserved = reserved - 1, sold = sold + 1 where product_id = :product and reserved >= 1
    returning product_id, available, reserved, sold, low_stock_threshold;
update reservations set status = 'COMMITTED', reason = NULL, updated_at = now() where order_id = :order_id;
insert into outbox (message_id, topic, message_key, type, correlation_id, occurred_at, envelope, headers)
    values (:m5, 'inventory-events', :product, 'StockChanged', NULL, now(), cast('{"messageId":"c687642c-8af2-4d10-95a1-c18d7b38618b","type":"StockChanged","occurredAt":"2026-11-22T05:12:35.089384031Z","correlationId": null,"payload":{"productId":"ae2eb154-7f15-4524-b4b9-b5df9e7769b1","available":799849,"reserved":0,"sold":211}}' as jsonb), cast('{"traceparent":"00-4e4e6a51d04249a679ab6dffac86b7ca-33b681cbcd0418d8-00"}' as jsonb));
COMMIT;

-- 5. the relay publishes StockChanged
BEGIN;
select pg_try_advisory_xact_lock(hashtext('emporium.outbox-relay'));
update outbox set sent_at = now()
    where id in (select id from outbox where sent_at is null order by id limit 200 for update skip locked)
    returning id, message_id, type, correlation_id, topic, message_key, envelope::text as envelope, headers::text as headers;
COMMIT;
