-- One order's work in the orders database, as order-service and its relay issue it (statements as
-- order-service issues them since ADR 10, each consumer transaction carrying one order: the dearest case; run by ./emporium bench with
-- pgbench -M prepared). Not per order, so not here: the relay's backlog count (once a second), the
-- admission's count of PENDING orders (at most every 250 ms), the waiting GETs' look for decisions.
-- Not part of an order: the first line, which draws this order's ids.
select gen_random_uuid() as order_id, gen_random_uuid() as customer, gen_random_uuid() as product, gen_random_uuid() as request_key,
       gen_random_uuid() as m1, gen_random_uuid() as m2, gen_random_uuid() as m3, gen_random_uuid() as m4, gen_random_uuid() as m5, gen_random_uuid() as m6 \gset

-- 1. POST /api/orders: idempotency key, order, line, saga awaiting both steps, ReserveStock and
--    ReserveCredit in the outbox (one insert), the timeline (one insert)
BEGIN;
select order_id, request_hash from idempotency_keys where customer_id = :customer and idempotency_key = :request_key;
insert into idempotency_keys (customer_id, idempotency_key, request_hash, order_id, created_at)
    values (:customer, :request_key, '6154a5002b308e8d8153da38a4b9749db4d5417f4a05a4e1d6aa4c8a088e8cf8', :order_id, now()) on conflict do nothing;
INSERT INTO "orders" ("customer_id", "id", "placed_at", "reason", "status", "total_amount", "total_currency", "version")
    VALUES (:customer, :order_id, now(), NULL, 'PENDING', 22.00, 'EUR', 0);
INSERT INTO "order_lines" ("line_no", "order_id", "product_id", "quantity", "unit_price") VALUES (0, :order_id, :product, 1, 22.00);
insert into order_sagas (order_id, step, awaiting, attempts, deadline, updated_at)
    values (:order_id, 'RUNNING', cast('{RESERVE_STOCK,RESERVE_CREDIT}' as varchar[]), 1, now() + interval '10 seconds', now());
insert into outbox (message_id, topic, message_key, type, correlation_id, occurred_at, envelope, headers) values
    (:m1, 'inventory-commands', :order_id, 'ReserveStock', :order_id, now(), cast('{"messageId":"fe3105ea-c860-4aff-ab51-80c6948d2072","type":"ReserveStock","occurredAt":"2026-12-05T05:12:35.016683032Z","correlationId":"429229ee-5336-4219-a053-54ff9ce50a28","payload":{"orderId":"429229ee-5336-4219-a053-54ff9ce50a28","lines":[{"productId":"ae2eb154-7f15-4524-b4b9-b5df9e7769b1","quantity":1}]}}' as jsonb), cast('{"traceparent":"00-4e4e6a51d04249a679ab6dffac86b7ca-3c812cd427ce33d8-00"}' as jsonb)),
    (:m2, 'user-commands', :order_id, 'ReserveCredit', :order_id, now(), cast('{"messageId":"fe3105ea-c860-4aff-ab51-80c6948d2072","type":"ReserveCredit","occurredAt":"2026-12-05T05:12:35.016683032Z","correlationId":"429229ee-5336-4219-a053-54ff9ce50a28","payload":{"orderId":"429229ee-5336-4219-a053-54ff9ce50a28","customerId":"61a45624-a1bb-4b17-9632-0f210aef701b","amount":22.00,"currency":"EUR"}}' as jsonb), cast('{"traceparent":"00-4e4e6a51d04249a679ab6dffac86b7ca-3c812cd427ce33d8-00"}' as jsonb));
insert into saga_timeline (order_id, at, step, event) values (:order_id, now(), 'RESERVE_STOCK', 'sent ReserveStock'),
    (:order_id, now(), 'RESERVE_CREDIT', 'sent ReserveCredit');
COMMIT;

-- 2. the relay publishes both commands
BEGIN;
select pg_try_advisory_xact_lock(hashtext('emporium.outbox-relay'));
update outbox set sent_at = now()
    where id in (select id from outbox where sent_at is null order by id limit 200 for update skip locked)
    returning id, message_id, type, correlation_id, topic, message_key, envelope::text as envelope, headers::text as headers;
COMMIT;

-- 3. StockReserved (a poll of one record): inbox, saga row, the step no longer awaited, timeline
BEGIN;
insert into inbox (message_id, type, correlation_id, received_at)
    select id, type, correlation_id, now() from unnest(cast(array[:m3] as uuid[]), cast(array['StockReserved'] as text[]), cast(array[:order_id] as text[])) as m (id, type, correlation_id)
    on conflict (message_id) do nothing returning message_id;
select step, awaiting, attempts, updated_at from order_sagas where order_id = :order_id for update;
SELECT "orders"."id" AS "id", "orders"."total_amount" AS "total_amount", "orders"."total_currency" AS "total_currency", "orders"."status" AS "status", "orders"."reason" AS "reason", "orders"."version" AS "version", "orders"."placed_at" AS "placed_at", "orders"."customer_id" AS "customer_id" FROM "orders" WHERE "orders"."id" = :order_id;
SELECT "order_lines"."quantity" AS "quantity", "order_lines"."product_id" AS "product_id", "order_lines"."unit_price" AS "unit_price", "order_lines"."line_no" AS "line_no" FROM "order_lines" WHERE "order_lines"."order_id" = :order_id ORDER BY "line_no";
update order_sagas set awaiting = cast('{RESERVE_CREDIT}' as varchar[]) where order_id = :order_id;
insert into saga_timeline (order_id, at, step, event) values (:order_id, now(), 'RESERVE_STOCK', 'received StockReserved');
COMMIT;

-- 4. CreditReserved: the order is confirmed; CommitStock, CommitCredit and OrderConfirmed in one insert
BEGIN;
insert into inbox (message_id, type, correlation_id, received_at)
    select id, type, correlation_id, now() from unnest(cast(array[:m4] as uuid[]), cast(array['CreditReserved'] as text[]), cast(array[:order_id] as text[])) as m (id, type, correlation_id)
    on conflict (message_id) do nothing returning message_id;
select step, awaiting, attempts, updated_at from order_sagas where order_id = :order_id for update;
SELECT "orders"."id" AS "id", "orders"."total_amount" AS "total_amount", "orders"."total_currency" AS "total_currency", "orders"."status" AS "status", "orders"."reason" AS "reason", "orders"."version" AS "version", "orders"."placed_at" AS "placed_at", "orders"."customer_id" AS "customer_id" FROM "orders" WHERE "orders"."id" = :order_id;
SELECT "order_lines"."quantity" AS "quantity", "order_lines"."product_id" AS "product_id", "order_lines"."unit_price" AS "unit_price", "order_lines"."line_no" AS "line_no" FROM "order_lines" WHERE "order_lines"."order_id" = :order_id ORDER BY "line_no";
update orders set status = 'CONFIRMED', reason = NULL, version = version + 1 where id = :order_id and version = 0;
update order_sagas set step = 'DONE', awaiting = '{}', deadline = null, updated_at = now() where order_id = :order_id;
insert into outbox (message_id, topic, message_key, type, correlation_id, occurred_at, envelope, headers) values
    (:m5, 'inventory-commands', :order_id, 'CommitStock', :order_id, now(), cast('{"messageId":"fe3105ea-c860-4aff-ab51-80c6948d2072","type":"CommitStock","occurredAt":"2026-12-05T05:12:35.016683032Z","correlationId":"429229ee-5336-4219-a053-54ff9ce50a28","payload":{"orderId":"429229ee-5336-4219-a053-54ff9ce50a28"}}' as jsonb), cast('{"traceparent":"00-4e4e6a51d04249a679ab6dffac86b7ca-3c812cd427ce33d8-00"}' as jsonb)),
    (:m6, 'user-commands', :order_id, 'CommitCredit', :order_id, now(), cast('{"messageId":"fe3105ea-c860-4aff-ab51-80c6948d2072","type":"CommitCredit","occurredAt":"2026-12-05T05:12:35.016683032Z","correlationId":"429229ee-5336-4219-a053-54ff9ce50a28","payload":{"orderId":"429229ee-5336-4219-a053-54ff9ce50a28"}}' as jsonb), cast('{"traceparent":"00-4e4e6a51d04249a679ab6dffac86b7ca-3c812cd427ce33d8-00"}' as jsonb)),
    (gen_random_uuid(), 'order-events', :order_id, 'OrderConfirmed', :order_id, now(), cast('{"messageId":"fe3105ea-c860-4aff-ab51-80c6948d2072","type":"OrderConfirmed","occurredAt":"2026-12-05T05:12:35.016683032Z","correlationId":"429229ee-5336-4219-a053-54ff9ce50a28","payload":{"orderId":"429229ee-5336-4219-a053-54ff9ce50a28","customerId":"61a45624-a1bb-4b17-9632-0f210aef701b","total":22.00,"currency":"EUR"}}' as jsonb), cast('{"traceparent":"00-4e4e6a51d04249a679ab6dffac86b7ca-3c812cd427ce33d8-00"}' as jsonb));
insert into saga_timeline (order_id, at, step, event) values (:order_id, now(), 'RESERVE_CREDIT', 'received CreditReserved'),
    (:order_id, now(), 'RESERVE_STOCK', 'sent CommitStock'),
    (:order_id, now(), 'RESERVE_CREDIT', 'sent CommitCredit'),
    (:order_id, now(), 'ORDER', 'sent OrderConfirmed'),
    (:order_id, now(), 'ORDER', 'order CONFIRMED');
COMMIT;

-- 5. the relay publishes the three messages
BEGIN;
select pg_try_advisory_xact_lock(hashtext('emporium.outbox-relay'));
update outbox set sent_at = now()
    where id in (select id from outbox where sent_at is null order by id limit 200 for update skip locked)
    returning id, message_id, type, correlation_id, topic, message_key, envelope::text as envelope, headers::text as headers;
COMMIT;

-- 6. GET /api/orders/{id}: the shopper reads the outcome
BEGIN READ ONLY;
SELECT "orders"."id" AS "id", "orders"."total_amount" AS "total_amount", "orders"."total_currency" AS "total_currency", "orders"."status" AS "status", "orders"."reason" AS "reason", "orders"."version" AS "version", "orders"."placed_at" AS "placed_at", "orders"."customer_id" AS "customer_id" FROM "orders" WHERE "orders"."id" = :order_id;
SELECT "order_lines"."quantity" AS "quantity", "order_lines"."product_id" AS "product_id", "order_lines"."unit_price" AS "unit_price", "order_lines"."line_no" AS "line_no" FROM "order_lines" WHERE "order_lines"."order_id" = :order_id ORDER BY "line_no";
COMMIT;
